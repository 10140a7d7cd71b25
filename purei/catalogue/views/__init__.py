"""The catalogue's HTML screens: a member's products under /manage/members/…, a
cluster's listing and cultural review queues under /manage/clusters/…."""
