"""The demo site's subject matter: topics with their tags and categories, audiences, devices, referrers."""
from __future__ import annotations

# Each topic: (category, tags), as an editor filed it; the posts' own words are in writing.py.
TOPICS: dict[str, tuple[str, list[str]]] = {
    "seo": ("Search", ["seo", "keywords", "backlinks", "serp", "schema"]),
    "analytics": ("Analytics", ["analytics", "dashboards", "attribution", "metrics", "ab-testing"]),
    "email": ("Email marketing", ["email", "newsletter", "automation", "deliverability", "subject-lines"]),
    "social": ("Social media", ["social", "instagram", "linkedin", "community", "influencers"]),
    "content": ("Content strategy", ["content", "editorial", "copywriting", "storytelling", "blogging"]),
    "ecommerce": ("E-commerce", ["ecommerce", "checkout", "pricing", "woocommerce", "cart"]),
    "design": ("UX design", ["ux", "design", "accessibility", "typography", "usability"]),
    "performance": ("Performance", ["performance", "caching", "core-web-vitals", "cdn", "images"]),
    "security": ("Security", ["security", "backups", "passwords", "firewall", "updates"]),
    "wordpress": ("WordPress", ["wordpress", "plugins", "themes", "gutenberg", "hosting"]),
}

AUDIENCES = ["beginner", "professional", "business"]
FUNNEL_STAGES = ["awareness", "consideration", "decision"]
INTENTS = {"awareness": "learn", "consideration": "compare", "decision": "buy"}

DEVICES = (["desktop", "mobile", "tablet"], [0.52, 0.40, 0.08])
REFERRERS = (["", "www.google.com", "www.facebook.com", "t.co", "www.linkedin.com", "newsletter"],
             [0.30, 0.38, 0.10, 0.06, 0.08, 0.08])
COUNTRIES = (["US", "GB", "DE", "FR", "IN", "CA", "BR", "AU"],
             [0.34, 0.14, 0.11, 0.09, 0.12, 0.07, 0.07, 0.06])
