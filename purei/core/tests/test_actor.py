import pytest

from purei.core.actor import Actor


def test_the_system_actor_is_marked_and_has_no_person_or_roles():
    # when
    system = Actor.system()
    # then
    assert system.is_system is True
    assert system.user is None
    assert system.is_authenticated is False
    assert system.is_platform_staff is False
    assert system.admin_cluster_ids == frozenset()
    assert system.member_ids == frozenset()


def test_anonymous_is_not_the_system():
    assert Actor.anonymous().is_system is False


def test_each_system_actor_is_trusted_by_its_flag_not_its_identity():
    first, second = Actor.system(), Actor.system()
    assert first is not second
    assert first.is_system
    assert second.is_system


def test_a_person_cannot_be_the_system(customer_user):
    with pytest.raises(ValueError, match="no person"):
        Actor(user=customer_user, is_system=True)


@pytest.mark.django_db
def test_roles_are_read_through_the_users_relations(
    cluster_x_admin, member_a_owner, cluster_x, member_a
):
    assert cluster_x_admin.admin_cluster_ids == {cluster_x.pk}
    assert cluster_x_admin.curator_cluster_ids == {cluster_x.pk}
    assert cluster_x_admin.member_ids == frozenset()
    assert member_a_owner.owned_member_ids == {member_a.pk}
    assert member_a_owner.member_ids == {member_a.pk}
    assert member_a_owner.admin_cluster_ids == frozenset()
