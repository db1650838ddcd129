"""The demo site's subject matter: topics with their words, tags and categories, and the banner/CTA offers."""
from __future__ import annotations

# Each topic: (category, tags, words). Words feed titles and body text, so content similarity has signal.
TOPICS: dict[str, tuple[str, list[str], list[str]]] = {
    "seo": ("Search", ["seo", "keywords", "backlinks", "serp", "schema"],
            ["search", "ranking", "keyword", "backlink", "crawl", "index", "snippet", "sitemap",
             "canonical", "anchor", "organic", "query", "intent", "serp", "schema"]),
    "analytics": ("Analytics", ["analytics", "dashboards", "attribution", "metrics", "ab-testing"],
                  ["metric", "dashboard", "funnel", "cohort", "attribution", "conversion", "segment",
                   "retention", "experiment", "significance", "tracking", "report", "baseline", "uplift"]),
    "email": ("Email marketing", ["email", "newsletter", "automation", "deliverability", "subject-lines"],
              ["newsletter", "subscriber", "inbox", "deliverability", "campaign", "automation", "drip",
               "open", "unsubscribe", "list", "sender", "template", "welcome", "digest"]),
    "social": ("Social media", ["social", "instagram", "linkedin", "community", "influencers"],
               ["followers", "post", "hashtag", "engagement", "community", "influencer", "share",
                "story", "reel", "comment", "viral", "audience", "linkedin", "instagram"]),
    "content": ("Content strategy", ["content", "editorial", "copywriting", "storytelling", "blogging"],
                ["editorial", "calendar", "headline", "draft", "story", "voice", "brief", "outline",
                 "evergreen", "pillar", "copy", "narrative", "writer", "publish"]),
    "ecommerce": ("E-commerce", ["ecommerce", "checkout", "pricing", "woocommerce", "cart"],
                  ["checkout", "cart", "product", "pricing", "discount", "shipping", "catalog", "order",
                   "refund", "inventory", "store", "payment", "upsell", "basket"]),
    "design": ("UX design", ["ux", "design", "accessibility", "typography", "usability"],
               ["layout", "typography", "usability", "accessibility", "prototype", "wireframe", "contrast",
                "navigation", "button", "grid", "palette", "persona", "interface", "flow"]),
    "performance": ("Performance", ["performance", "caching", "core-web-vitals", "cdn", "images"],
                    ["latency", "cache", "render", "lighthouse", "vitals", "cdn", "compression", "lazy",
                     "bundle", "paint", "server", "image", "preload", "throughput"]),
    "security": ("Security", ["security", "backups", "passwords", "firewall", "updates"],
                 ["password", "firewall", "malware", "backup", "update", "vulnerability", "login", "attack",
                  "encryption", "certificate", "patch", "audit", "permission", "breach"]),
    "wordpress": ("WordPress", ["wordpress", "plugins", "themes", "gutenberg", "hosting"],
                  ["plugin", "theme", "block", "gutenberg", "hook", "shortcode", "widget", "hosting",
                   "multisite", "editor", "template", "customizer", "php", "admin"]),
}

GENERIC_WORDS = [
    "guide", "simple", "better", "team", "practical", "common", "mistakes", "examples", "step", "plan",
    "results", "small", "business", "growth", "tools", "checklist", "year", "lessons", "quick", "data",
    "work", "site", "visitors", "time", "budget", "strategy", "best", "easy", "real", "world",
]

TITLE_TEMPLATES = [
    "How to improve your {a} {b}",
    "{n} {a} mistakes that hurt your {b}",
    "The practical guide to {a} and {b}",
    "Why your {a} needs a {b} plan",
    "{a} vs {b}: what actually works",
    "A checklist for {a} {b}",
    "What we learned from {n} {a} experiments",
    "Getting started with {a}",
]

AUDIENCES = ["beginner", "professional", "business"]
FUNNEL_STAGES = ["awareness", "consideration", "decision"]
INTENTS = {"awareness": "learn", "consideration": "compare", "decision": "buy"}

# Banner / call-to-action offers: (title, topic, funnel stage).
VARIANT_OFFERS = [
    ("Free SEO audit of your site", "seo", "decision"),
    ("Download the keyword research checklist", "seo", "consideration"),
    ("Try our analytics dashboard free for 14 days", "analytics", "decision"),
    ("Join the weekly newsletter", "email", "awareness"),
    ("Email automation templates pack", "email", "consideration"),
    ("Social media calendar template", "social", "consideration"),
    ("Content strategy workshop: book a seat", "content", "decision"),
    ("Store checkout optimisation guide", "ecommerce", "consideration"),
    ("Accessibility review for your theme", "design", "decision"),
    ("Speed up your site: free performance report", "performance", "decision"),
    ("Security hardening checklist", "security", "awareness"),
    ("Managed WordPress hosting trial", "wordpress", "decision"),
]

DEVICES = (["desktop", "mobile", "tablet"], [0.52, 0.40, 0.08])
REFERRERS = (["", "www.google.com", "www.facebook.com", "t.co", "www.linkedin.com", "newsletter"],
             [0.30, 0.38, 0.10, 0.06, 0.08, 0.08])
COUNTRIES = (["US", "GB", "DE", "FR", "IN", "CA", "BR", "AU"],
             [0.34, 0.14, 0.11, 0.09, 0.12, 0.07, 0.07, 0.06])
