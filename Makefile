# SPDX-License-Identifier: GPL-2.0
#
# plx8ch, built out of tree. The first two targets are the ones to know:
#   make demo   boot the emulated card with the driver and watch live events
#   make test   everything, on a fresh machine (installs what it needs)
#   make bench  plx8ch against uio_pci_generic on the same card: one table
#
#   make        build plx8ch.ko for KDIR (default: the running kernel's
#               build tree, else Debian's 6.1 headers from the bench)
#   make clean
#   make install       the module for KDIR, the udev rules and the tools
#   make dkms-install  register with DKMS: built for every kernel, now and
#                      at each kernel upgrade (needs dkms and the headers)
#   make dkms-remove   the reverse
#   make deb           the Debian packages plx8ch-dkms, plx8ch-tools and
#                      python3-plx8ch, into deb/ (DEB_DIR)
#   make patches       the upstream series against the newest Debian
#                      linux-source, into patches/ (PATCH_DIR)

BENCH := tools/testing/plx8ch
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	  $(shell $(BENCH)/get-kernel 6.1 2>/dev/null | sed -n 's/^KERNEL_BUILD=//p'))

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/plx8ch clean

# The module for KDIR; the tools, the udev rules and their group.
install: modules install-tools
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) modules_install

install-tools:
	$(MAKE) -C tools/plx8ch
	install -D -m 0755 -t $(DESTDIR)/usr/local/bin tools/plx8ch/plx8ch-mon \
		tools/plx8ch/plx8ch-info
	install -D -m 0644 tools/plx8ch/60-plx8ch.rules \
		$(DESTDIR)/etc/udev/rules.d/60-plx8ch.rules
	if [ -z "$(DESTDIR)" ]; then \
		getent group plx8ch >/dev/null || groupadd --system plx8ch; \
		udevadm control --reload 2>/dev/null || true; \
		udevadm trigger --subsystem-match=plx8ch 2>/dev/null || true; \
	fi

# DKMS takes its version from dkms.conf; the sources DKMS builds are the
# ones a kernel build needs, copied, not the whole repository.
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC := $(DESTDIR)/usr/src/plx8ch-$(DKMS_VERSION)

dkms-install: dkms-remove install-tools
	mkdir -p $(DKMS_SRC)
	cp -r dkms.conf Kbuild drivers include $(DKMS_SRC)/
	dkms add plx8ch/$(DKMS_VERSION)
	dkms install plx8ch/$(DKMS_VERSION) $(if $(DKMS_KERNELS),$(addprefix -k ,$(DKMS_KERNELS)))

dkms-remove:
	if dkms status plx8ch/$(DKMS_VERSION) | grep -q plx8ch; then \
		dkms remove plx8ch/$(DKMS_VERSION) --all; fi
	rm -rf $(DKMS_SRC)

DEB_DIR ?= $(CURDIR)/deb

deb:
	$(BENCH)/build-deb $(DEB_DIR)

PATCH_DIR ?= $(CURDIR)/patches

patches:
	$(BENCH)/make-patches $(PATCH_DIR)

test:
	$(BENCH)/run-tests

demo:
	$(BENCH)/demo

bench:
	$(BENCH)/bench/run

.PHONY: all modules clean test demo bench install install-tools dkms-install dkms-remove deb patches
