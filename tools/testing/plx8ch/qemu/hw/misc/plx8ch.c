/*
 * plx8ch: emulation of the 8-channel card behind a PLX PCI 9056 bridge,
 * for the plx8ch driver's test bench.
 *
 * BAR0 holds the bridge's INTCSR, BAR2 the FPGA channel block, BAR3 an
 * emulator-only control block (event generator, counters, faults, unplug).
 * The register reference is plx8ch-card.md; Documentation/misc-devices/
 * plx8ch.rst in the driver tree describes the same interface.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "hw/pci/pci.h"
#include "hw/pci/pci_bridge.h"
#include "hw/qdev-core.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "qom/object.h"

#define TYPE_PLX8CH "plx8ch"
OBJECT_DECLARE_SIMPLE_TYPE(PLX8CHState, PLX8CH)

#define PLX8CH_NCH              8
#define PLX8CH_CAUSE_MASK       0x03030303u
#define PLX8CH_PRESENT          0x80808080u

/* BAR0: PLX 9056 local configuration registers */
#define BAR0_SIZE               512
#define BAR0_INTCSR             0x68
#define INTCSR_PIE              (1u << 8)
#define INTCSR_LIE              (1u << 11)
#define INTCSR_LIA              (1u << 15)

/* BAR2: channel block */
#define BAR2_SIZE               (4 * KiB)
#define BAR2_ID                 0x00
#define BAR2_VERSION            0x04
#define BAR2_STATUS_14          0x10
#define BAR2_STATUS_58          0x14
#define BAR2_ENABLE_14          0x18
#define BAR2_ENABLE_58          0x1c
#define BAR2_FORCE_14           0x20
#define BAR2_FORCE_58           0x24
#define PLX8CH_ID               0x38584c50u     /* "PLX8" */
#define PLX8CH_VERSION          0x00010000u

/* BAR3: emulator control block */
#define BAR3_SIZE               (4 * KiB)
#define BAR3_CTL_ID             0x000
#define BAR3_GEN_COUNT          0x010
#define BAR3_GEN_PERIOD_NS      0x014
#define BAR3_GEN_MASK_14        0x018
#define BAR3_GEN_MASK_58        0x01c
#define BAR3_GEN_SEED           0x020
#define BAR3_GEN_MODE           0x024
#define BAR3_GEN_CTRL           0x028
#define BAR3_GEN_STATUS         0x02c
#define BAR3_GEN_DONE           0x030
#define BAR3_COUNTERS_RESET     0x03c
#define BAR3_RAISED             0x040   /* + 8 * ch (+ 4 for TX) */
#define BAR3_LATCHED            0x080   /* + 8 * ch (+ 4 for TX) */
#define BAR3_FAULT              0x100
#define BAR3_MMIO_READS         0x104
#define BAR3_MMIO_WRITES        0x108
#define BAR3_IRQ_ASSERTS        0x10c
#define BAR3_VCLOCK_LO          0x110
#define BAR3_VCLOCK_HI          0x114
#define BAR3_LAST_RAISE_LO      0x118
#define BAR3_LAST_RAISE_HI      0x11c
#define BAR3_UNPLUG             0x120
#define PLX8CH_CTL_ID           0x4c544345u     /* "ECTL" */

#define GEN_MODE_ALL            0
#define GEN_MODE_ONE            1
#define GEN_MODE_SUBSET         2
#define GEN_CTRL_START          1
#define GEN_CTRL_STOP           2
#define GEN_MIN_PERIOD_NS       1000
#define GEN_DEFAULT_SEED        0x2545f491u

/* PCI power management capability, where the 9056 has it */
#define PLX8CH_PM_CAP           0x40

#define FAULT_DEAD              (1u << 0)
#define FAULT_STUCK             (1u << 1)
/* Not in the card's reference: the faults survive a reset (a lost card). */
#define FAULT_KEEP              (1u << 2)

struct PLX8CHState {
    PCIDevice parent_obj;

    MemoryRegion bar0;
    MemoryRegion bar2;
    MemoryRegion bar3;

    uint32_t intcsr;            /* stored bits; LIA is computed */
    uint32_t status[2];         /* [0] = channels 0-3, [1] = 4-7 */
    uint32_t enable[2];

    uint32_t gen_count;
    uint32_t gen_period_ns;
    uint32_t gen_mask[2];
    uint32_t gen_seed;
    uint32_t gen_mode;
    uint32_t gen_done;
    uint32_t gen_running;
    uint32_t gen_rng;           /* xorshift32 state */
    int64_t gen_deadline;               /* virtual ns of the next event */
    QEMUTimer *gen_timer;

    /* [ch][0] = RX, [ch][1] = TX */
    uint32_t raised[PLX8CH_NCH][2];
    uint32_t latched[PLX8CH_NCH][2];

    uint32_t fault;
    uint32_t mmio_reads;
    uint32_t mmio_writes;
    uint32_t irq_asserts;
    uint32_t irq_level;
    uint32_t vclock_hi;         /* latched by a VCLOCK_LO read */
    uint32_t last_raise_hi;             /* latched by a LAST_RAISE_LO read */
    int64_t last_raise_ns;

    /*
     * On PCIe the write that clears the causes is posted, and so is the
     * Deassert_INTx message it leads to: INTA# drops this many virtual
     * ns after the write, unless a read of the card (whose completion
     * cannot pass them) comes first. 0: at once, as on plain PCI.
     */
    uint32_t deassert_delay_ns;
    QEMUTimer *deassert_timer;

    QEMUBH *unplug_bh;
    bool unplug_board;          /* the bridge in front of the card too */
};

static bool plx8ch_lia(PLX8CHState *s)
{
    return ((s->status[0] & s->enable[0]) |
        (s->status[1] & s->enable[1])) & PLX8CH_CAUSE_MASK;
}

/* INTA# is level: asserted exactly while PIE, LIE and LIA, unless dead. */
static bool plx8ch_level(PLX8CHState *s)
{
    return !(s->fault & FAULT_DEAD) &&
           (s->intcsr & INTCSR_PIE) && (s->intcsr & INTCSR_LIE) &&
           plx8ch_lia(s);
}

static void plx8ch_set_level(PLX8CHState *s, bool level)
{
    if (level && !s->irq_level) {
        s->irq_asserts++;
    }
    s->irq_level = level;
    pci_set_irq(PCI_DEVICE(s), level);
}

static void plx8ch_update_irq(PLX8CHState *s)
{
    bool level = plx8ch_level(s);

    if (!level && s->irq_level && s->deassert_delay_ns) {
        if (!timer_pending(s->deassert_timer)) {
            timer_mod(s->deassert_timer,
                      qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                      s->deassert_delay_ns);
        }
        return;
    }
    timer_del(s->deassert_timer);
    plx8ch_set_level(s, level);
}

/* The delayed deassert lands: when its time comes, or pushed by a read. */
static void plx8ch_deassert_land(void *opaque)
{
    PLX8CHState *s = opaque;

    timer_del(s->deassert_timer);
    plx8ch_set_level(s, plx8ch_level(s));
}

static void plx8ch_flush_posted(PLX8CHState *s)
{
    if (timer_pending(s->deassert_timer)) {
        plx8ch_deassert_land(s);
    }
}

/*
 * Raise causes on one status register, as the channel hardware would:
 * count every raise, latch it only when enabled and not already latched.
 */
static void plx8ch_raise(PLX8CHState *s, int reg, uint32_t bits)
{
    int byte, cause;

    bits &= PLX8CH_CAUSE_MASK;
    if (!bits) {
        return;
    }
    for (byte = 0; byte < 4; byte++) {
        for (cause = 0; cause < 2; cause++) {
            uint32_t bit = 1u << (8 * byte + cause);
            int ch = 4 * reg + byte;

            if (!(bits & bit)) {
                continue;
            }
            s->raised[ch][cause]++;
            if ((s->enable[reg] & bit) && !(s->status[reg] & bit)) {
                s->status[reg] |= bit;
                s->latched[ch][cause]++;
            }
        }
    }
    s->last_raise_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    plx8ch_update_irq(s);
}

static uint32_t plx8ch_rng_next(PLX8CHState *s)
{
    uint32_t x = s->gen_rng;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    s->gen_rng = x;
    return x;
}

/* Pick one set bit of the 64-bit mask, uniformly. mask must be non-zero. */
static uint64_t plx8ch_pick_one(PLX8CHState *s, uint64_t mask)
{
    int k = plx8ch_rng_next(s) % ctpop64(mask);

    while (k--) {
        mask &= mask - 1;
    }
    return mask & -mask;
}

static void plx8ch_gen_event(PLX8CHState *s)
{
    uint64_t mask = ((uint64_t)(s->gen_mask[1] & PLX8CH_CAUSE_MASK) << 32) |
            (s->gen_mask[0] & PLX8CH_CAUSE_MASK);
    uint64_t bits = 0;

    if (mask) {
        switch (s->gen_mode) {
        case GEN_MODE_ONE:
            bits = plx8ch_pick_one(s, mask);
            break;
        case GEN_MODE_SUBSET:
            bits = (((uint64_t)plx8ch_rng_next(s) << 32) |
                plx8ch_rng_next(s)) & mask;
            if (!bits) {
                bits = plx8ch_pick_one(s, mask);
            }
            break;
        default:
            bits = mask;
            break;
        }
    }
    plx8ch_raise(s, 0, (uint32_t)bits);
    plx8ch_raise(s, 1, (uint32_t)(bits >> 32));
    s->gen_done++;
}

static void plx8ch_gen_stop(PLX8CHState *s)
{
    s->gen_running = 0;
    timer_del(s->gen_timer);
}

static void plx8ch_gen_arm(PLX8CHState *s)
{
    s->gen_deadline += MAX(s->gen_period_ns, GEN_MIN_PERIOD_NS);
    timer_mod(s->gen_timer, s->gen_deadline);
}

/*
 * One generator event per expiry. Deadlines advance by whole periods from
 * the start, so a late expiry does not stretch the sequence; if the vCPU
 * fell behind, the overdue events are raised back to back.
 */
static void plx8ch_gen_tick(void *opaque)
{
    PLX8CHState *s = opaque;

    if (!s->gen_running) {
        return;
    }
    plx8ch_gen_event(s);
    if (s->gen_done >= s->gen_count) {
        plx8ch_gen_stop(s);
        return;
    }
    plx8ch_gen_arm(s);
}

static void plx8ch_gen_start(PLX8CHState *s)
{
    plx8ch_gen_stop(s);
    s->gen_done = 0;
    s->gen_rng = s->gen_seed ? s->gen_seed : GEN_DEFAULT_SEED;
    if (!s->gen_count) {
        return;
    }
    s->gen_running = 1;
    s->gen_deadline = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    plx8ch_gen_arm(s);
}

static void plx8ch_bad_size(const char *bar, hwaddr addr, unsigned size,
                bool write)
{
    qemu_log_mask(LOG_GUEST_ERROR,
              "plx8ch: %s %u-byte %s at 0x%" HWADDR_PRIx
              ": only aligned 32-bit accesses are supported\n",
              bar, size, write ? "write" : "read", addr);
}

static uint64_t plx8ch_bar0_read(void *opaque, hwaddr addr, unsigned size)
{
    PLX8CHState *s = opaque;

    s->mmio_reads++;
    plx8ch_flush_posted(s);
    if (size != 4 || (addr & 3)) {
        plx8ch_bad_size("BAR0", addr, size, false);
        return MAKE_64BIT_MASK(0, size * 8);
    }
    if (s->fault & FAULT_DEAD) {
        return UINT32_MAX;
    }
    if (addr == BAR0_INTCSR) {
        return (s->intcsr & ~INTCSR_LIA) | (plx8ch_lia(s) ? INTCSR_LIA : 0);
    }
    qemu_log_mask(LOG_UNIMP, "plx8ch: BAR0 read of unmodelled 0x%"
              HWADDR_PRIx "\n", addr);
    return 0;
}

static void plx8ch_bar0_write(void *opaque, hwaddr addr, uint64_t val,
                  unsigned size)
{
    PLX8CHState *s = opaque;

    s->mmio_writes++;
    if (size != 4 || (addr & 3)) {
        plx8ch_bad_size("BAR0", addr, size, true);
        return;
    }
    if (s->fault & FAULT_DEAD) {
        return;
    }
    if (addr == BAR0_INTCSR) {
        s->intcsr = val & ~INTCSR_LIA;
        plx8ch_update_irq(s);
        return;
    }
    qemu_log_mask(LOG_UNIMP, "plx8ch: BAR0 write of unmodelled 0x%"
              HWADDR_PRIx "\n", addr);
}

static uint64_t plx8ch_bar2_read(void *opaque, hwaddr addr, unsigned size)
{
    PLX8CHState *s = opaque;

    s->mmio_reads++;
    plx8ch_flush_posted(s);
    if (size != 4 || (addr & 3)) {
        plx8ch_bad_size("BAR2", addr, size, false);
        return MAKE_64BIT_MASK(0, size * 8);
    }
    if (s->fault & FAULT_DEAD) {
        return UINT32_MAX;
    }
    switch (addr) {
    case BAR2_ID:
        return PLX8CH_ID;
    case BAR2_VERSION:
        return PLX8CH_VERSION;
    case BAR2_STATUS_14:
    case BAR2_STATUS_58:
        return s->status[(addr - BAR2_STATUS_14) / 4] | PLX8CH_PRESENT;
    case BAR2_ENABLE_14:
    case BAR2_ENABLE_58:
        return s->enable[(addr - BAR2_ENABLE_14) / 4];
    case BAR2_FORCE_14:
    case BAR2_FORCE_58:
        return 0;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "plx8ch: BAR2 read of undefined 0x%"
              HWADDR_PRIx "\n", addr);
    return 0;
}

static void plx8ch_bar2_write(void *opaque, hwaddr addr, uint64_t val,
                  unsigned size)
{
    PLX8CHState *s = opaque;
    int reg;

    s->mmio_writes++;
    if (size != 4 || (addr & 3)) {
        plx8ch_bad_size("BAR2", addr, size, true);
        return;
    }
    if (s->fault & FAULT_DEAD) {
        return;
    }
    switch (addr) {
    case BAR2_STATUS_14:
    case BAR2_STATUS_58:
        if (!(s->fault & FAULT_STUCK)) {
            reg = (addr - BAR2_STATUS_14) / 4;
            s->status[reg] &= ~(val & PLX8CH_CAUSE_MASK);
            plx8ch_update_irq(s);
        }
        return;
    case BAR2_ENABLE_14:
    case BAR2_ENABLE_58:
        reg = (addr - BAR2_ENABLE_14) / 4;
        s->enable[reg] = val & PLX8CH_CAUSE_MASK;
        plx8ch_update_irq(s);
        return;
    case BAR2_FORCE_14:
    case BAR2_FORCE_58:
        plx8ch_raise(s, (addr - BAR2_FORCE_14) / 4, val);
        return;
    case BAR2_ID:
    case BAR2_VERSION:
        qemu_log_mask(LOG_GUEST_ERROR, "plx8ch: BAR2 write to read-only 0x%"
                  HWADDR_PRIx "\n", addr);
        return;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "plx8ch: BAR2 write to undefined 0x%"
              HWADDR_PRIx "\n", addr);
}

static uint64_t plx8ch_bar3_read(void *opaque, hwaddr addr, unsigned size)
{
    PLX8CHState *s = opaque;
    int64_t now;

    if (size != 4 || (addr & 3)) {
        plx8ch_bad_size("BAR3", addr, size, false);
        return MAKE_64BIT_MASK(0, size * 8);
    }
    if (addr >= BAR3_RAISED && addr < BAR3_LATCHED) {
        return s->raised[(addr - BAR3_RAISED) / 8][(addr / 4) & 1];
    }
    if (addr >= BAR3_LATCHED && addr < BAR3_LATCHED + 8 * PLX8CH_NCH) {
        return s->latched[(addr - BAR3_LATCHED) / 8][(addr / 4) & 1];
    }
    switch (addr) {
    case BAR3_CTL_ID:
        return PLX8CH_CTL_ID;
    case BAR3_GEN_COUNT:
        return s->gen_count;
    case BAR3_GEN_PERIOD_NS:
        return s->gen_period_ns;
    case BAR3_GEN_MASK_14:
    case BAR3_GEN_MASK_58:
        return s->gen_mask[(addr - BAR3_GEN_MASK_14) / 4];
    case BAR3_GEN_SEED:
        return s->gen_seed;
    case BAR3_GEN_MODE:
        return s->gen_mode;
    case BAR3_GEN_STATUS:
        return s->gen_running;
    case BAR3_GEN_DONE:
        return s->gen_done;
    case BAR3_FAULT:
        return s->fault;
    case BAR3_MMIO_READS:
        return s->mmio_reads;
    case BAR3_MMIO_WRITES:
        return s->mmio_writes;
    case BAR3_IRQ_ASSERTS:
        return s->irq_asserts;
    case BAR3_VCLOCK_LO:
        now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
        s->vclock_hi = now >> 32;
        return (uint32_t)now;
    case BAR3_VCLOCK_HI:
        return s->vclock_hi;
    case BAR3_LAST_RAISE_LO:
        s->last_raise_hi = s->last_raise_ns >> 32;
        return (uint32_t)s->last_raise_ns;
    case BAR3_LAST_RAISE_HI:
        return s->last_raise_hi;
    case BAR3_GEN_CTRL:
    case BAR3_COUNTERS_RESET:
    case BAR3_UNPLUG:
        return 0;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "plx8ch: BAR3 read of undefined 0x%"
              HWADDR_PRIx "\n", addr);
    return 0;
}

static void plx8ch_counters_reset(PLX8CHState *s)
{
    memset(s->raised, 0, sizeof(s->raised));
    memset(s->latched, 0, sizeof(s->latched));
    s->mmio_reads = 0;
    s->mmio_writes = 0;
    s->irq_asserts = 0;
}

static void plx8ch_bar3_write(void *opaque, hwaddr addr, uint64_t val,
                  unsigned size)
{
    PLX8CHState *s = opaque;

    if (size != 4 || (addr & 3)) {
        plx8ch_bad_size("BAR3", addr, size, true);
        return;
    }
    switch (addr) {
    case BAR3_GEN_COUNT:
        s->gen_count = val;
        return;
    case BAR3_GEN_PERIOD_NS:
        s->gen_period_ns = val;
        return;
    case BAR3_GEN_MASK_14:
    case BAR3_GEN_MASK_58:
        s->gen_mask[(addr - BAR3_GEN_MASK_14) / 4] = val;
        return;
    case BAR3_GEN_SEED:
        s->gen_seed = val;
        return;
    case BAR3_GEN_MODE:
        if (val > GEN_MODE_SUBSET) {
            qemu_log_mask(LOG_GUEST_ERROR,
                      "plx8ch: GEN_MODE %" PRIu64 " unknown\n", val);
            return;
        }
        s->gen_mode = val;
        return;
    case BAR3_GEN_CTRL:
        if (val == GEN_CTRL_START) {
            plx8ch_gen_start(s);
        } else if (val == GEN_CTRL_STOP) {
            plx8ch_gen_stop(s);
        } else {
            qemu_log_mask(LOG_GUEST_ERROR,
                      "plx8ch: GEN_CTRL %" PRIu64 " unknown\n", val);
        }
        return;
    case BAR3_COUNTERS_RESET:
        if (val & 1) {
            plx8ch_counters_reset(s);
        }
        return;
    case BAR3_FAULT:
        s->fault = val & (FAULT_DEAD | FAULT_STUCK | FAULT_KEEP);
        plx8ch_update_irq(s);
        return;
    case BAR3_UNPLUG:
        if (val & 3) {
            s->unplug_board = val & 2;
            qemu_bh_schedule(s->unplug_bh);
        }
        return;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "plx8ch: BAR3 write to read-only or "
              "undefined 0x%" HWADDR_PRIx "\n", addr);
}

/*
 * Every access size reaches the handlers, so that odd sizes are logged and
 * answered as the reference says instead of being split or dropped here.
 */
#define PLX8CH_OPS(bar) {                                               \
    .read = plx8ch_##bar##_read,                                        \
    .write = plx8ch_##bar##_write,                                      \
    .endianness = DEVICE_LITTLE_ENDIAN,                         \
    .valid = { .min_access_size = 1, .max_access_size = 8,              \
           .unaligned = true },                                 \
    .impl = { .min_access_size = 1, .max_access_size = 8,               \
          .unaligned = true },                                  \
}

static const MemoryRegionOps plx8ch_bar0_ops = PLX8CH_OPS(bar0);
static const MemoryRegionOps plx8ch_bar2_ops = PLX8CH_OPS(bar2);
static const MemoryRegionOps plx8ch_bar3_ops = PLX8CH_OPS(bar3);

/*
 * A D3hot to D0 transition with NoSoftRst clear resets the function, as
 * on the 9056: this is the reset Linux's pci_reset_function() uses here.
 */
static void plx8ch_config_write(PCIDevice *pdev, uint32_t addr,
                                uint32_t val, int len)
{
    uint8_t *pmcsr = pdev->config + PLX8CH_PM_CAP + PCI_PM_CTRL;
    uint16_t old = pci_get_word(pmcsr) & PCI_PM_CTRL_STATE_MASK;

    pci_default_write_config(pdev, addr, val, len);
    if (old == 3 && (pci_get_word(pmcsr) & PCI_PM_CTRL_STATE_MASK) == 0) {
        device_cold_reset(DEVICE(pdev));
    }
}

/*
 * Runs from the main loop, as device_del would. Bit 1 of UNPLUG pulls the
 * whole board from its slot: the PCIe-to-PCI bridge the card sits behind
 * (the board's own), which a PCIe slot's native hotplug then removes.
 */
static void plx8ch_unplug_bh(void *opaque)
{
    PLX8CHState *s = opaque;
    PCIDevice *bridge = pci_bridge_get_device(pci_get_bus(PCI_DEVICE(s)));
    Error *err = NULL;

    qdev_unplug(s->unplug_board && bridge ? DEVICE(bridge) : DEVICE(s), &err);
    if (err) {
        error_prepend(&err, "plx8ch: UNPLUG request: ");
        warn_report_err(err);
    }
}

static void plx8ch_realize(PCIDevice *pdev, Error **errp)
{
    PLX8CHState *s = PLX8CH(pdev);

    pci_config_set_interrupt_pin(pdev->config, 1);
    if (pci_add_capability(pdev, PCI_CAP_ID_PM, PLX8CH_PM_CAP,
                           PCI_PM_SIZEOF, errp) < 0) {
        return;
    }
    pci_set_word(pdev->config + PLX8CH_PM_CAP + PCI_PM_PMC, 0x3);
    pci_set_word(pdev->wmask + PLX8CH_PM_CAP + PCI_PM_CTRL,
                 PCI_PM_CTRL_STATE_MASK);

    memory_region_init_io(&s->bar0, OBJECT(s), &plx8ch_bar0_ops, s,
                  "plx8ch-bridge", BAR0_SIZE);
    memory_region_init_io(&s->bar2, OBJECT(s), &plx8ch_bar2_ops, s,
                  "plx8ch-channels", BAR2_SIZE);
    memory_region_init_io(&s->bar3, OBJECT(s), &plx8ch_bar3_ops, s,
                  "plx8ch-emulator", BAR3_SIZE);
    pci_register_bar(pdev, 0, PCI_BASE_ADDRESS_SPACE_MEMORY, &s->bar0);
    pci_register_bar(pdev, 2, PCI_BASE_ADDRESS_SPACE_MEMORY, &s->bar2);
    pci_register_bar(pdev, 3, PCI_BASE_ADDRESS_SPACE_MEMORY, &s->bar3);

    s->gen_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, plx8ch_gen_tick, s);
    s->deassert_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                     plx8ch_deassert_land, s);
    s->unplug_bh = qemu_bh_new(plx8ch_unplug_bh, s);
}

static void plx8ch_exit(PCIDevice *pdev)
{
    PLX8CHState *s = PLX8CH(pdev);

    timer_free(s->gen_timer);
    timer_free(s->deassert_timer);
    qemu_bh_delete(s->unplug_bh);
    pci_set_irq(pdev, 0);
}

/* Every register of all three BARs back to its reset value. */
static void plx8ch_reset_hold(Object *obj, ResetType type)
{
    PLX8CHState *s = PLX8CH(obj);

    plx8ch_gen_stop(s);
    s->intcsr = 0;
    memset(s->status, 0, sizeof(s->status));
    memset(s->enable, 0, sizeof(s->enable));
    s->gen_count = 0;
    s->gen_period_ns = 0;
    memset(s->gen_mask, 0, sizeof(s->gen_mask));
    s->gen_seed = 0;
    s->gen_mode = GEN_MODE_ALL;
    s->gen_done = 0;
    s->gen_rng = 0;
    s->gen_deadline = 0;
    plx8ch_counters_reset(s);
    if (!(s->fault & FAULT_KEEP)) {
        s->fault = 0;
    }
    s->vclock_hi = 0;
    s->last_raise_hi = 0;
    s->last_raise_ns = 0;
    s->irq_level = 0;
    timer_del(s->deassert_timer);
    pci_set_irq(PCI_DEVICE(s), 0);
}

static const VMStateDescription vmstate_plx8ch = {
    .name = TYPE_PLX8CH,
    .version_id = 2,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, PLX8CHState),
        VMSTATE_UINT32(intcsr, PLX8CHState),
        VMSTATE_UINT32_ARRAY(status, PLX8CHState, 2),
        VMSTATE_UINT32_ARRAY(enable, PLX8CHState, 2),
        VMSTATE_UINT32(gen_count, PLX8CHState),
        VMSTATE_UINT32(gen_period_ns, PLX8CHState),
        VMSTATE_UINT32_ARRAY(gen_mask, PLX8CHState, 2),
        VMSTATE_UINT32(gen_seed, PLX8CHState),
        VMSTATE_UINT32(gen_mode, PLX8CHState),
        VMSTATE_UINT32(gen_done, PLX8CHState),
        VMSTATE_UINT32(gen_running, PLX8CHState),
        VMSTATE_UINT32(gen_rng, PLX8CHState),
        VMSTATE_INT64(gen_deadline, PLX8CHState),
        VMSTATE_TIMER_PTR(gen_timer, PLX8CHState),
        VMSTATE_UINT32_2DARRAY(raised, PLX8CHState, PLX8CH_NCH, 2),
        VMSTATE_UINT32_2DARRAY(latched, PLX8CHState, PLX8CH_NCH, 2),
        VMSTATE_UINT32(fault, PLX8CHState),
        VMSTATE_UINT32(mmio_reads, PLX8CHState),
        VMSTATE_UINT32(mmio_writes, PLX8CHState),
        VMSTATE_UINT32(irq_asserts, PLX8CHState),
        VMSTATE_UINT32(irq_level, PLX8CHState),
        VMSTATE_UINT32(vclock_hi, PLX8CHState),
        VMSTATE_UINT32(last_raise_hi, PLX8CHState),
        VMSTATE_INT64(last_raise_ns, PLX8CHState),
        VMSTATE_TIMER_PTR_V(deassert_timer, PLX8CHState, 2),
        VMSTATE_END_OF_LIST()
    },
};

static const Property plx8ch_properties[] = {
    DEFINE_PROP_UINT32("deassert-delay-ns", PLX8CHState, deassert_delay_ns, 0),
};

static void plx8ch_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = plx8ch_realize;
    k->exit = plx8ch_exit;
    k->config_write = plx8ch_config_write;
    k->vendor_id = 0x10b5;              /* PLX Technology */
    k->device_id = 0x9056;              /* PCI 9056 bridge */
    k->subsystem_vendor_id = 0x10b5;
    k->subsystem_id = 0x2808;   /* the 8-channel card */
    k->revision = 0x01;
    k->class_id = 0x1180;               /* signal processing controller */
    dc->desc = "plx8ch 8-channel card behind a PLX 9056 (test bench)";
    rc->phases.hold = plx8ch_reset_hold;
    dc->vmsd = &vmstate_plx8ch;
    device_class_set_props(dc, plx8ch_properties);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
}

static const TypeInfo plx8ch_info = {
    .name = TYPE_PLX8CH,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(PLX8CHState),
    .class_init = plx8ch_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_CONVENTIONAL_PCI_DEVICE },
        { },
    },
};

static void plx8ch_register_types(void)
{
    type_register_static(&plx8ch_info);
}

type_init(plx8ch_register_types)
