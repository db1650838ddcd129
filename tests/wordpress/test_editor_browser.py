"""The block editor in Chromium on the real WordPress: the "Personalization" panel (no build step) edits the
registered meta, and the "Personalized slot" block is available and saved into the post."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.wordpress, pytest.mark.browser]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "wordpress"

EDITOR_READY = ("window.wp && wp.data && wp.blocks && wp.data.select('core/editor')"
                " && wp.data.select('core/editor').getCurrentPostId()"
                " && wp.blocks.getBlockType('pertinent/slot')")


def test_editor_panel_tags_a_post_and_the_slot_block_is_saved(healthy):
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import launch

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            healthy.log_in(page)

            page.goto(healthy.url + "/wp-admin/post-new.php")
            page.wait_for_function(EDITOR_READY, timeout=60_000)
            page.evaluate("""() => {
                const prefs = wp.data.select('core/edit-post');
                if (prefs.isFeatureActive('welcomeGuide')) {
                    wp.data.dispatch('core/edit-post').toggleFeature('welcomeGuide');
                }
                wp.data.dispatch('core/edit-post').openGeneralSidebar('edit-post/document');
            }""")
            toggle = page.locator("button.components-panel__body-toggle", has_text="Personalization")
            toggle.wait_for(timeout=30_000)
            if toggle.get_attribute("aria-expanded") != "true":
                toggle.click()
            # A real token typed into the Audience field, as an editor would.
            field = page.locator(".components-form-token-field", has_text="Audience").locator("input")
            field.fill("Beginner")
            field.press("Enter")
            page.wait_for_function("(wp.data.select('core/editor').getEditedPostAttribute('meta')"
                                   " || {}).pertinent_audience?.includes('beginner')", timeout=10_000)
            page.screenshot(path=str(ARTIFACTS / "editor-personalization-panel.png"), full_page=True)

            post_id = page.evaluate("""async () => {
                const slot = wp.blocks.createBlock('pertinent/slot', {name: 'hero', kind: 'banner'},
                    [wp.blocks.createBlock('core/paragraph', {content: 'Default from the editor'})]);
                wp.data.dispatch('core/block-editor').insertBlocks(slot);
                wp.data.dispatch('core/editor').editPost({title: 'Tagged in the editor', status: 'publish'});
                await wp.data.dispatch('core/editor').savePost();
                return wp.data.select('core/editor').getCurrentPostId();
            }""")
        finally:
            browser.close()

    saved = healthy.php(f"$p = get_post({post_id}); return array('audience' => get_post_meta({post_id}, "
                        "'pertinent_audience', true), 'content' => $p->post_content,"
                        "'status' => $p->post_status, 'link' => get_permalink($p));")
    assert saved["audience"] == ["beginner"]
    assert saved["status"] == "publish"
    assert "<!-- wp:pertinent/slot" in saved["content"] and "Default from the editor" in saved["content"]
    # Rendered on the site and decided by the sidecar (a live banner, or the editor's default).
    resp = healthy.get(saved["link"].replace(healthy.url, ""))
    html = resp.text
    assert resp.status_code == 200, saved
    assert 'data-pertinent-slot="hero"' in html and 'data-pertinent-decision="d_' in html


SLOTS_LABEL = "In slots (comma-separated names; empty = every slot)"


def _variant_form_ready(page, url: str) -> None:
    page.goto(url)
    editor_ready = EDITOR_READY.replace(" && wp.blocks.getBlockType('pertinent/slot')", "")
    page.wait_for_function(editor_ready, timeout=60_000)
    page.evaluate("""() => {
        if (wp.data.select('core/edit-post').isFeatureActive('welcomeGuide')) {
            wp.data.dispatch('core/edit-post').toggleFeature('welcomeGuide');
        }
    }""")
    page.locator("#pertinent-targeting-form .pertinent-targeting__add-rule").wait_for(timeout=30_000)


def _add_condition(page, rule, key: str):
    """Adds a condition row to the rule and switches it to `key`; returns the row."""
    rule.locator(".pertinent-rule__add-condition").click()
    rows = rule.locator(".pertinent-rule__condition")
    row = rows.nth(rows.count() - 1)
    row.locator("select.pertinent-rule__condition-key").select_option(key)
    return rule.locator(f'.pertinent-rule__condition[data-condition="{key}"]')


def test_variant_targeting_form_builds_a_rule_validates_it_and_saves_it(healthy):
    """An editor builds a rule with the form (no JSON), sees a bad time window refused before saving (saving
    locked), fixes it, saves in the block editor, and finds the same rule stored and shown again."""
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import launch

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            healthy.log_in(page)
            _variant_form_ready(page, healthy.url + "/wp-admin/post-new.php?post_type=pertinent_variant")
            page.evaluate("() => wp.data.dispatch('core/editor').editPost({title: 'Weekend night banner',"
                          " content: '<p>Late-night weekend offer</p>'})")

            page.click(".pertinent-targeting__add-rule")
            rule = page.locator(".pertinent-rule").first
            rule.get_by_label("Action").select_option("exclude")
            rule.get_by_label(SLOTS_LABEL).fill("Hero")
            _add_condition(page, rule, "utm_campaign").locator("input").fill("  Spring ")
            hours = _add_condition(page, rule, "hours")
            hours.get_by_label("From").select_option("5")
            hours.get_by_label("Until").select_option("5")
            problems = page.locator("#pertinent-targeting-problems")
            assert "Time of day (UTC): must not repeat a value (5 appears twice)" in problems.inner_text()
            assert page.evaluate("wp.data.select('core/editor').isPostSavingLocked()") is True
            box = page.locator("#pertinent_variant")
            box.screenshot(path=str(ARTIFACTS / "variant-targeting-form-invalid.png"))

            hours.get_by_label("From").select_option("22")
            hours.get_by_label("Until").select_option("6")
            days = _add_condition(page, rule, "days")
            for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
                days.get_by_label(day).uncheck()
            for day in ("Saturday", "Sunday"):
                days.get_by_label(day).check()
            assert problems.inner_text().strip() == ""
            assert page.evaluate("wp.data.select('core/editor').isPostSavingLocked()") is False
            box.screenshot(path=str(ARTIFACTS / "variant-targeting-form.png"))

            post_id = page.evaluate("""async () => {
                wp.data.dispatch('core/editor').editPost({status: 'publish'});
                await wp.data.dispatch('core/editor').savePost();
                return wp.data.select('core/editor').getCurrentPostId();
            }""")
            # The block editor posts the meta boxes (our form) after the REST save.
            page.wait_for_function("!wp.data.select('core/edit-post').isSavingMetaBoxes()"
                                   " && !wp.data.select('core/editor').isSavingPost()", timeout=30_000)
            page.wait_for_timeout(300)

            _variant_form_ready(page, healthy.url + f"/wp-admin/post.php?post={post_id}&action=edit")
            shown = page.locator(".pertinent-rule")
            shown_rule = {
                "rules": shown.count(),
                "action": shown.first.get_by_label("Action").input_value(),
                "slots": shown.first.get_by_label(SLOTS_LABEL).input_value(),
                "conditions": shown.first.locator(".pertinent-rule__condition").evaluate_all(
                    "rows => rows.map(r => r.dataset.condition)"),
                "from": shown.first.get_by_label("From").input_value(),
                "until": shown.first.get_by_label("Until").input_value(),
            }
        finally:
            browser.close()

    stored = healthy.php(f"return get_post_meta({post_id}, 'pertinent_targeting', true);")
    when = {"utm_campaign": "spring", "hours": [22, 6], "days": [5, 6]}
    assert stored == [{"action": "exclude", "when": when, "slots": ["hero"]}]
    assert shown_rule == {"rules": 1, "action": "exclude", "slots": "hero",
                          "conditions": ["utm_campaign", "hours", "days"], "from": "22", "until": "6"}
