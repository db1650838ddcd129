"""wp-config.php constants fix (and lock) settings for deployments, whatever the stored option says."""
from __future__ import annotations

import json
import subprocess

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.wordpress]

READ = """
define('PERTINENT_SIDECAR_URL', 'http://sidecar.internal:8000/');
define('PERTINENT_TIMEOUT_MS', 400);
define('PERTINENT_RENDER_MODE', 'browser');
$_SERVER['HTTP_HOST'] = 'localhost';
require getenv('WP_SITE') . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/template.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once PERTINENT_DIR . '/admin/settings-page.php';
wp_set_current_user(1);
pertinent_admin_settings_fields();
ob_start();
pertinent_render_settings_page();
$page = ob_get_clean();
echo json_encode(array(
    'url' => pertinent_setting('sidecar_url'), 'timeout' => pertinent_setting('timeout_ms'),
    'mode' => pertinent_effective_render_mode(), 'locked' => pertinent_setting_locked('timeout_ms'),
    'threshold_locked' => pertinent_setting_locked('breaker_threshold'),
    'page_says_locked' => substr_count($page, 'Locked by'),
));
"""


def test_constants_override_and_lock_settings(healthy):
    healthy.configure(timeout_ms=999, render_mode="server")
    proc = subprocess.run(["php", "-r", READ], capture_output=True, text=True, timeout=60,
                          env={"WP_SITE": str(healthy.site), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got == {"url": "http://sidecar.internal:8000", "timeout": 400, "mode": "browser", "locked": True,
                   "threshold_locked": False, "page_says_locked": 3}
