# SPDX-License-Identifier: GPL-2.0
#
# plx8ch, built out of tree. The first two targets are the ones to know:
#   make demo   boot the emulated card with the driver and watch live events
#   make test   everything, on a fresh machine (installs what it needs)
#
#   make        build plx8ch.ko for KDIR (default: the running kernel's
#               build tree, else Debian's 6.1 headers from the bench)
#   make clean

BENCH := tools/testing/plx8ch
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	  $(shell $(BENCH)/get-kernel 6.1 2>/dev/null | sed -n 's/^KERNEL_BUILD=//p'))

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/plx8ch clean

test:
	$(BENCH)/run-tests

demo:
	$(BENCH)/demo

.PHONY: all modules clean test demo
