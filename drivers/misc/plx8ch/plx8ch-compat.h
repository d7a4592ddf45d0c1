/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plx8ch: the shims an out-of-tree build needs on older kernels, all of
 * them. The upstream series leaves this file and its #include out.
 */
#ifndef _PLX8CH_COMPAT_H
#define _PLX8CH_COMPAT_H

#include <linux/pci.h>

/* Older kernels name INTx "legacy". */
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX			PCI_IRQ_LEGACY
#endif

/*
 * Kernels before 6.11 map managed regions only through the iomap table;
 * the out-of-tree Kbuild finds out which a kernel has.
 */
#ifdef PLX8CH_COMPAT_PCIM_IOMAP_REGION
static inline void __iomem *pcim_iomap_region(struct pci_dev *pdev, int bar,
					      const char *name)
{
	int ret = pcim_iomap_regions(pdev, BIT(bar), name);

	return ret ? IOMEM_ERR_PTR(ret) : pcim_iomap_table(pdev)[bar];
}
#endif

#endif /* _PLX8CH_COMPAT_H */
