// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch: sysfs attributes of the card (on the PCI device, in plx8ch_card/)
 * and of each channel (on /sys/class/plx8ch/plx8ch<N>).
 * Documented in Documentation/ABI/testing/sysfs-driver-plx8ch.
 */
#include <linux/device.h>
#include <linux/sysfs.h>

#include "plx8ch.h"

static struct plx8ch_card *to_card(struct device *dev)
{
	return pci_get_drvdata(to_pci_dev(dev));
}

/* A counter the top half or the thread writes, read whole. */
static ssize_t plx8ch_emit_stat(char *buf, const struct u64_stats_sync *syncp,
				const u64_stats_t *stat)
{
	return sysfs_emit(buf, "%llu\n", plx8ch_stat_read(syncp, stat));
}

/* A lifecycle counter, written under the card's lock. */
static ssize_t plx8ch_emit_locked(char *buf, struct plx8ch_card *card,
				  const u64 *stat)
{
	u64 v;

	mutex_lock(&card->lock);
	v = *stat;
	mutex_unlock(&card->lock);
	return sysfs_emit(buf, "%llu\n", v);
}

static ssize_t hardirqs_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct plx8ch_card *card = to_card(dev);

	return plx8ch_emit_stat(buf, &card->irq_syncp, &card->hardirqs);
}
static DEVICE_ATTR_RO(hardirqs);

static ssize_t spurious_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct plx8ch_card *card = to_card(dev);

	return plx8ch_emit_stat(buf, &card->irq_syncp, &card->spurious);
}
static DEVICE_ATTR_RO(spurious);

static ssize_t enables_restored_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct plx8ch_card *card = to_card(dev);

	return plx8ch_emit_stat(buf, &card->irq_syncp, &card->enables_restored);
}
static DEVICE_ATTR_RO(enables_restored);

static ssize_t thread_runs_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct plx8ch_card *card = to_card(dev);

	return plx8ch_emit_stat(buf, &card->thread_syncp, &card->thread_runs);
}
static DEVICE_ATTR_RO(thread_runs);

static ssize_t resets_show(struct device *dev,
			   struct device_attribute *attr, char *buf)
{
	struct plx8ch_card *card = to_card(dev);

	return plx8ch_emit_locked(buf, card, &card->resets);
}
static DEVICE_ATTR_RO(resets);

static ssize_t resumes_show(struct device *dev,
			    struct device_attribute *attr, char *buf)
{
	struct plx8ch_card *card = to_card(dev);

	return plx8ch_emit_locked(buf, card, &card->resumes);
}
static DEVICE_ATTR_RO(resumes);

static ssize_t recoveries_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct plx8ch_card *card = to_card(dev);

	return plx8ch_emit_locked(buf, card, &card->recoveries);
}
static DEVICE_ATTR_RO(recoveries);

static ssize_t card_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%u\n", to_card(dev)->index);
}
static DEVICE_ATTR_RO(card);

static ssize_t hw_version_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	u32 v = to_card(dev)->hw_version;

	return sysfs_emit(buf, "%u.%u\n", v >> 16, v & 0xffff);
}
static DEVICE_ATTR_RO(hw_version);

/* Root only, both ways: the test disturbs the card for a moment. */
static ssize_t selftest_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct plx8ch_card *card = to_card(dev);
	ssize_t n;

	mutex_lock(&card->lock);
	n = sysfs_emit(buf, "%s", card->selftest_report[0] ?
		       card->selftest_report : "not run\n");
	mutex_unlock(&card->lock);
	return n;
}

static ssize_t selftest_store(struct device *dev,
			      struct device_attribute *attr, const char *buf,
			      size_t count)
{
	bool run;
	int ret;

	ret = kstrtobool(buf, &run);
	if (ret)
		return ret;
	if (!run)
		return -EINVAL;
	ret = plx8ch_selftest(to_card(dev));
	return ret ? ret : count;
}
static DEVICE_ATTR_ADMIN_RW(selftest);

static struct attribute *plx8ch_card_attrs[] = {
	&dev_attr_card.attr,
	&dev_attr_hw_version.attr,
	&dev_attr_hardirqs.attr,
	&dev_attr_spurious.attr,
	&dev_attr_thread_runs.attr,
	&dev_attr_enables_restored.attr,
	&dev_attr_resets.attr,
	&dev_attr_resumes.attr,
	&dev_attr_recoveries.attr,
	&dev_attr_selftest.attr,
	NULL
};

const struct attribute_group plx8ch_card_group = {
	.name = "plx8ch_card",
	.attrs = plx8ch_card_attrs,
};

static struct plx8ch_channel *to_channel(struct device *dev)
{
	return dev_get_drvdata(dev);
}

static ssize_t channel_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", to_channel(dev)->index);
}
static DEVICE_ATTR_RO(channel);

static ssize_t pci_address_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_channel(dev)->card->bus_id);
}
static DEVICE_ATTR_RO(pci_address);

/* A channel counter that ch->lock guards. */
static ssize_t channel_counter_show(struct device *dev, char *buf,
				    const u64 *counter)
{
	struct plx8ch_channel *ch = to_channel(dev);
	u64 v;

	spin_lock(&ch->lock);
	v = *counter;
	spin_unlock(&ch->lock);
	return sysfs_emit(buf, "%llu\n", v);
}

static ssize_t events_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return channel_counter_show(dev, buf, &to_channel(dev)->seqno);
}
static DEVICE_ATTR_RO(events);

static ssize_t records_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return channel_counter_show(dev, buf, &to_channel(dev)->records);
}
static DEVICE_ATTR_RO(records);

static ssize_t readers_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct plx8ch_channel *ch = to_channel(dev);
	unsigned int v;

	mutex_lock(&ch->card->lock);
	v = ch->users;
	mutex_unlock(&ch->card->lock);
	return sysfs_emit(buf, "%u\n", v);
}
static DEVICE_ATTR_RO(readers);

static ssize_t storm_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct plx8ch_channel *ch = to_channel(dev);

	return sysfs_emit(buf, "%d\n", test_bit(ch->index, &ch->card->storm));
}
static DEVICE_ATTR_RO(storm);

static ssize_t storms_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct plx8ch_channel *ch = to_channel(dev);

	return sysfs_emit(buf, "%llu\n",
			  plx8ch_stat_read(&ch->card->irq_syncp, &ch->storms));
}
static DEVICE_ATTR_RO(storms);

static struct attribute *plx8ch_channel_attrs[] = {
	&dev_attr_channel.attr,
	&dev_attr_pci_address.attr,
	&dev_attr_events.attr,
	&dev_attr_records.attr,
	&dev_attr_readers.attr,
	&dev_attr_storm.attr,
	&dev_attr_storms.attr,
	NULL
};

static const struct attribute_group plx8ch_channel_group = {
	.attrs = plx8ch_channel_attrs,
};

const struct attribute_group *plx8ch_channel_groups[] = {
	&plx8ch_channel_group,
	NULL
};
