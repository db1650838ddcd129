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
