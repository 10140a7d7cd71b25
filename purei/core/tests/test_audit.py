import pytest

from purei.core.audit import audit_record, snapshot
from purei.core.models import AuditEntry


@pytest.mark.django_db
def test_snapshot_handles_empty_and_set_files_and_foreign_keys(member_a):
    # when
    data = snapshot(member_a, ["logo", "region", "trading_name", "latitude"])
    # then
    assert data == {
        "logo": "",
        "region": member_a.region_id,
        "trading_name": "Member A Wines",
        "latitude": None,
    }


@pytest.mark.django_db
def test_audit_keeps_only_what_changed(cluster_x_admin, cluster_x):
    # when
    entry = audit_record(
        actor=cluster_x_admin,
        verb="cluster.brand_updated",
        target=cluster_x,
        cluster_id=cluster_x.pk,
        before={"tagline": "Old", "story": "Same"},
        after={"tagline": "New", "story": "Same"},
    )
    # then
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.before == {"tagline": "Old"}
    assert entry.after == {"tagline": "New"}
    assert entry.actor_email == "admin@cluster-x.nz"
    assert entry.target_type == "clusters.cluster"
