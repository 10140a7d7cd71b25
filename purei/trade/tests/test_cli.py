from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_quotes_list_shows_each_request_and_its_newest_quote(cluster_x, trade_buyer):
    # given: the isolation world's request (built the same way)
    from purei.members.tests.factories import MemberFactory
    from purei.search.tests.factories import public_product
    from purei.trade.models import TradeAccount
    from tests.isolation.cases import RFQ_NUMBER, _rfq_world

    account = TradeAccount.objects.get(pk__in=trade_buyer.trade_account_ids)
    member_a = MemberFactory.create()
    member_b = MemberFactory.create()
    variant = public_product(cluster_x, member=member_a).variants.get()
    _rfq_world(account, member_a, member_b, variant)
    out = StringIO()
    # when
    call_command("quotes", "list", "--cluster", "cluster-x", stdout=out)
    # then
    text = out.getvalue()
    assert RFQ_NUMBER in text
    assert "DAP Brisbane" in text
    assert "rev. 1 sent, 7,742.42 AUD" in text
    # and by status
    empty = StringIO()
    call_command(
        "quotes", "list", "--cluster", "cluster-x", "--status", "accepted", stdout=empty
    )
    assert "No requests for quote." in empty.getvalue()


def test_quotes_list_names_an_unknown_cluster(db):
    # when / then
    with pytest.raises(CommandError, match="No cluster"):
        call_command("quotes", "list", "--cluster", "nowhere")
