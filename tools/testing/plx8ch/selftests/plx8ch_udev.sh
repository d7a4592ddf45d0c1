#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The udev rules, applied by a real systemd-udevd: every channel node gets
# group plx8ch, mode 0660 and its /dev/plx8ch/by-path/<pci-address>/ch<N>
# link, which goes away when the card is unbound and comes back with it.
# usage: plx8ch_udev.sh RULES_FILE
# Needs systemd-udevd in the guest (vm-run --host-bin, see run-tests).
KSFT_SKIP=4
rules=${1:?usage: plx8ch_udev.sh RULES_FILE}
udevd=/lib/systemd/systemd-udevd
PATH=$PATH:/usr/bin
[ -x "$udevd" ] || { echo "# no $udevd"; exit $KSFT_SKIP; }

mkdir -p /etc/udev/rules.d /run/udev
cp "$rules" /etc/udev/rules.d/
grep -q '^root:' /etc/passwd 2>/dev/null || echo 'root:x:0:0::/:/bin/sh' >>/etc/passwd
grep -q '^root:' /etc/group 2>/dev/null || echo 'root:x:0:' >>/etc/group
grep -q '^plx8ch:' /etc/group || echo 'plx8ch:x:990:' >>/etc/group
"$udevd" --daemon || exit 1
udevadm trigger --action=add --subsystem-match=plx8ch
udevadm settle --timeout=120

echo "TAP version 13"
n=0 fail=0
check() {	# check NAME CONDITION
	n=$((n + 1))
	if eval "$2"; then
		echo "ok $n $1"
	else
		echo "not ok $n $1"
		fail=$((fail + 1))
	fi
}

nodes=0
for dev in /sys/class/plx8ch/plx8ch*; do
	node=${dev##*/}
	link=/dev/plx8ch/by-path/$(cat "$dev/pci_address")/ch$(cat "$dev/channel")
	check "$link leads to /dev/$node" \
		'[ "$(readlink -f "$link")" = "/dev/$node" ]'
	check "/dev/$node is plx8ch:660" \
		'[ "$(stat -c %G:%a "/dev/$node")" = plx8ch:660 ]'
	nodes=$((nodes + 1))
done
check "some nodes to check ($nodes)" '[ "$nodes" -gt 0 ]'

# The links follow the card: gone when unbound, back when bound.
addr=$(cat /sys/class/plx8ch/plx8ch0/pci_address)
echo "$addr" >/sys/bus/pci/drivers/plx8ch/unbind
udevadm settle --timeout=120
check "no link of unbound $addr" '[ ! -e "/dev/plx8ch/by-path/$addr/ch0" ]'
echo "$addr" >/sys/bus/pci/drivers/plx8ch/bind
udevadm settle --timeout=120
check "links of $addr back after bind" \
	'[ -c "/dev/plx8ch/by-path/$addr/ch7" ]'

echo "1..$n"
echo "# Totals: pass:$((n - fail)) fail:$fail xfail:0 xpass:0 skip:0 error:0"
[ "$fail" = 0 ]
