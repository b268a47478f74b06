"""The expected range in words on the real server: what the meeting reads on the screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser


def test_lagesbild_and_trender_say_the_expected_range(server, page):
    page.goto(server)
    wait_for_app(page)
    assert_no_exception(page)
    said = page.get_by_text(re.compile(r"^väntat \d+–\d+, i år \d+$"))
    expect(said.first).to_be_visible(timeout=60_000)
    assert said.count() >= 6  # the municipality's three figures and the open group's three
    page.goto(server + "/trender")
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.get_by_text(re.compile(r"W\d\d: väntat \d+–\d+, i år \d+")).first).to_be_visible(
        timeout=60_000
    )
