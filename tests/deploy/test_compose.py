"""docker-compose.yml is valid and wires the parts as the design says (checked offline: no engine here)."""
from __future__ import annotations

import os
import shutil
import subprocess

import yaml

# make test installs docker-compose (scripts/system-deps.sh); without it these tests fail, not skip.
COMPOSE = shutil.which("docker-compose") or "docker-compose"


def compose_config(repo_root, *args, api_key="k" * 20):
    """Resolve the compose file with `docker-compose config`: (exit code, parsed config or stderr)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERTINENT_")}
    if api_key is not None:
        env["PERTINENT_API_KEY"] = api_key
    proc = subprocess.run([COMPOSE, "-f", str(repo_root / "docker-compose.yml"), *args, "config"],
                          capture_output=True, text=True, env=env, cwd=repo_root)
    if proc.returncode != 0:
        return proc.returncode, proc.stderr
    return 0, yaml.safe_load(proc.stdout)


def test_default_profile_runs_wordpress_mariadb_and_one_sidecar(repo_root):
    rc, cfg = compose_config(repo_root)
    assert rc == 0, cfg
    # `config` lists every service; the ones outside the default profile must carry a profile.
    default = {name for name, svc in cfg["services"].items() if not svc.get("profiles")}
    assert default == {"db", "sidecar", "worker", "wordpress"}
    assert cfg["services"]["worker"]["command"] == ["pertinent", "worker"]
    assert "/models" in str(cfg["services"]["worker"]["volumes"])
    wp_env = cfg["services"]["wordpress"]["environment"]
    assert "PERTINENT_SIDECAR_URL', 'http://sidecar:8000'" in wp_env["WORDPRESS_CONFIG_EXTRA"]
    volumes = str(cfg["services"]["wordpress"]["volumes"])
    assert "wp-plugin/pertinent" in volumes


def test_scale_out_profile_points_two_sidecars_at_postgres_and_redis(repo_root):
    rc, cfg = compose_config(repo_root, "--profile", "scale-out")
    assert rc == 0, cfg
    for name in ("sidecar-a", "sidecar-b"):
        env = cfg["services"][name]["environment"]
        assert env["PERTINENT_STORE_URL"].startswith("postgresql://")
        assert env["PERTINENT_CACHE_URL"].startswith("redis://")
    assert {"postgres", "redis"} <= set(cfg["services"])
    worker = cfg["services"]["worker-scaled"]
    assert worker["command"] == ["pertinent", "worker"]
    assert worker["environment"]["PERTINENT_STORE_URL"].startswith("postgresql://")


def _mounts(service: dict) -> list[tuple[str, str]]:
    """(source, target) of each volume; docker-compose v1 prints short syntax, v2 a mapping."""
    return [(v["source"], v["target"]) if isinstance(v, dict) else tuple(v.split(":")[:2])
            for v in service["volumes"]]


def test_scale_out_hosts_share_model_sets_through_postgres_not_a_host_folder(repo_root):
    """Separate machines share no folder: sets and pointers come from PostgreSQL (PERTINENT_MODELS_URL),
    and each host keeps its verified copies in a models volume of its own."""
    rc, cfg = compose_config(repo_root, "--profile", "scale-out")
    assert rc == 0, cfg
    scaled = ("sidecar-a", "sidecar-b", "worker-scaled")
    models_volumes = []
    for name in scaled:
        service = cfg["services"][name]
        env = service["environment"]
        assert env["PERTINENT_MODELS_URL"].startswith("postgresql://"), name
        assert env["PERTINENT_MODELS_URL"] == env["PERTINENT_STORE_URL"]  # one database, one schema version
        sources = [source for source, target in _mounts(service) if target == env["PERTINENT_MODELS_DIR"]]
        assert len(sources) == 1 and sources[0] in cfg["volumes"], (name, sources)  # named, not ./models
        models_volumes.append(sources[0])
    assert len(set(models_volumes)) == len(scaled)  # no two hosts share one
    for name in scaled:
        assert not any(source.startswith((".", "/")) for source, _ in _mounts(cfg["services"][name])), name


def test_compose_refuses_to_start_without_an_api_key(repo_root):
    rc, err = compose_config(repo_root, api_key=None)
    assert rc != 0
    assert "PERTINENT_API_KEY" in err


def test_every_sidecar_and_worker_shares_one_signing_key_file(repo_root):
    """The worker signs what it trains; a sidecar with another key would refuse every set it writes."""
    rc, cfg = compose_config(repo_root, "--profile", "scale-out")
    assert rc == 0, cfg
    for name in ("sidecar", "worker", "sidecar-a", "sidecar-b", "worker-scaled"):
        service = cfg["services"][name]
        key_file = service["environment"]["PERTINENT_SIGNING_KEY_FILE"]
        mounts = _mounts(service)
        assert key_file.startswith("/keys/") and ("signing-key", "/keys") in mounts, (name, mounts)
