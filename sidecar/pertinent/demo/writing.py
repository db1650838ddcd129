"""The demo site's copy, written by hand: Harbour Lane Digital, a small web agency's blog for small firms.

Titles are a title pattern around one of the topic's subjects; a post's text is an opening paragraph about
that subject (its excerpt), paragraphs of the topic's own sentences (a second topic's too, for a post that
covers two), and a closing line. Everything is picked from these lists by a seeded generator, so the same seed
writes the same site; the topic's sentences carry its words, so a content model can still learn the topics.
"""
from __future__ import annotations

import numpy as np

SITE_NAME = "Harbour Lane Digital"

# Each pattern reads well around any subject below, singular or plural ({s} mid-sentence, {S} at the start).
TITLE_PATTERNS = [
    "A plain-English guide to {s}",
    "{S}: where a small business should start",
    "Common mistakes with {s}, and how to fix them",
    "What we learned about {s} working with a local bakery",
    "A checklist for {s}",
    "How to get {s} right in an afternoon",
    "{S}, explained for busy owners",
    "Case study: {s} for a family-run hardware shop",
    "Should you spend more time on {s}?",
    "The questions clients ask us about {s}",
    "{S} without a big budget",
    "Our notes on {s} after a year of client work",
]

SUBJECTS: dict[str, list[str]] = {
    "seo": ["keyword research", "local search listings", "internal linking", "title tags and meta "
    "descriptions",
            "schema markup", "link building", "site migrations", "search intent", "XML sitemaps",
            "featured snippets"],
    "analytics": ["conversion tracking", "Google Analytics 4", "marketing attribution", "funnel reports",
                  "A/B testing", "cohort analysis", "owner dashboards", "UTM tagging", "goal setting",
                  "retention metrics"],
    "email": ["welcome emails", "newsletter design", "email deliverability", "list growth", "subject lines",
              "drip campaigns", "re-engagement emails", "email automation", "unsubscribe rates",
              "newsletter frequency"],
    "social": ["Instagram stories", "LinkedIn posting", "community management", "influencer partnerships",
               "short-form video", "social media calendars", "hashtags", "customer reviews on social",
               "paid social ads", "replying to comments"],
    "content": ["an editorial calendar", "blog headlines", "content briefs", "evergreen articles", "brand "
    "voice",
                "pillar pages", "customer case studies", "repurposing old posts", "writing for the web",
                "guest posts"],
    "ecommerce": ["checkout pages", "product descriptions", "shipping rates", "discount codes",
                  "abandoned cart emails", "product photos", "WooCommerce stores", "pricing pages", "upsells",
                  "returns policies"],
    "design": ["website navigation", "mobile layouts", "accessibility", "typography", "colour contrast",
               "call-to-action buttons", "contact forms", "homepage layouts", "wireframes", "user testing"],
    "performance": ["page speed", "Core Web Vitals", "image compression", "caching", "a CDN",
                    "web hosting speed", "lazy loading", "slow WordPress themes", "Lighthouse scores",
                    "third-party scripts"],
    "security": ["website backups", "password managers", "two-factor logins", "plugin updates",
                 "SSL certificates", "a web application firewall", "malware clean-ups", "user permissions",
                 "security audits", "hacked-site recovery"],
    "wordpress": ["choosing a WordPress theme", "the block editor", "WordPress plugins", "WordPress hosting",
                  "custom post types", "WordPress multisite", "the WordPress admin", "page builders",
                  "WordPress updates", "child themes"],
}

# The opening paragraph, which is also the excerpt: two sentences about the post's subject.
OPENERS = [
    "Most of the owners we work with know they should spend time on {s}, but few have an hour a week for it. "
    "This is the short version we give them.",
    "We get more questions about {s} than almost anything else. Here is what we tell clients, without the "
    "jargon.",
    "Work on {s} is one of those jobs that is easy to put off until something breaks. "
    "A little attention now saves a painful afternoon later.",
    "Last spring a client asked us why their numbers had stalled, and part of the answer was {s}. "
    "This post walks through what we changed.",
    "You do not need an agency retainer to get {s} right. You need a plan, a few hours and the patience to "
    "measure.",
    "There is a lot of conflicting advice about {s}. We have tried most of it on real sites, and this is "
    "what held up.",
    "If you only fix one thing this quarter, make it {s}. Here is a practical way to start.",
    "From the outside, work on {s} looks complicated. In practice it comes down to a handful of habits.",
]

# Sentences about each topic, in its own words: the body paragraphs are drawn from these.
SENTENCES: dict[str, list[str]] = {
    "seo": [
        "Start with the questions your customers actually type into a search engine, not the keywords you "
        "wish they used.",
        "Every page should answer one search intent well; two half-answers usually rank for neither.",
        "A clear title and a plain meta description still decide whether someone clicks your result.",
        "Internal links tell search engines which pages matter most, so link to them from your busiest "
        "posts.",
        "Submit an up-to-date sitemap and check the index coverage report once a month.",
        "A handful of honest backlinks from local partners beats a hundred from directories nobody visits.",
        "Schema markup will not lift your ranking on its own, but it can earn a richer snippet in the "
        "results.",
        "When you move or rename pages, redirect every old URL, or the organic traffic you earned goes with "
        "it.",
        "Organic search is slow: judge a change after eight to twelve weeks, not after three days.",
    ],
    "analytics": [
        "Decide which two or three metrics tell you the business is healthy before you open any dashboard.",
        "Track conversions, not just visits: a sale, a booking or a signup is what pays the bills.",
        "Tag every campaign link with UTM parameters, or your reports will credit everything to direct "
        "traffic.",
        "Look at cohorts of customers by the month they arrived to see whether retention is improving.",
        "Attribution models disagree with each other, so use them to compare channels, not as the final "
        "truth.",
        "An A/B test needs enough visitors to reach significance; on a small site, test bold changes only.",
        "A funnel report shows where people drop out, which is usually more useful than where they come "
        "from.",
        "Keep a short log of site changes next to your reports, so a jump in a metric has an explanation.",
        "Compare each week against the same week last year before you celebrate an uplift.",
    ],
    "email": [
        "A welcome email sent within minutes of signup is opened far more often than any later newsletter.",
        "Ask subscribers what they want to hear about, then segment the list by their answers.",
        "Deliverability starts with a clean list: remove addresses that have not opened anything in six "
        "months.",
        "Set up your sender domain records properly so inbox providers trust your campaigns.",
        "Subject lines that promise one concrete thing beat clever ones in almost every test we run.",
        "A short drip sequence of three or four emails can do the work of a sales call for simple products.",
        "Make unsubscribing easy; people who stay because they cannot leave hurt your sender reputation.",
        "Use one simple template and spend the saved time on what the newsletter says.",
        "A monthly digest that people look forward to is worth more than a weekly one they ignore.",
    ],
    "social": [
        "Pick the one or two platforms where your customers already spend time and ignore the rest for now.",
        "Post less often and reply to every comment; engagement grows from conversations, not from volume.",
        "On Instagram, short behind-the-scenes stories often outperform polished product photos.",
        "On LinkedIn, a plain post in your own voice reaches more people than a shared link.",
        "A small local influencer with an engaged audience can bring more customers than a big account.",
        "Plan posts in a simple calendar so a busy week does not mean a silent month.",
        "Use a few specific hashtags your community follows rather than thirty generic ones.",
        "Share customer reviews and photos, with permission: people trust other customers more than brands.",
        "Measure what social media brings to the site, not only likes and followers.",
    ],
    "content": [
        "An editorial calendar does not need software; a shared spreadsheet with dates and owners is enough.",
        "Write a short brief before every post: who it is for, the one question it answers, and the next "
        "step.",
        "A specific headline that names the reader's problem beats a clever one.",
        "Evergreen articles keep bringing visitors for years, so update them instead of writing new ones.",
        "Decide on a brand voice once and write it down, so every writer sounds like the same company.",
        "A pillar page that links to a cluster of detailed posts helps readers and search engines alike.",
        "Customer stories persuade better than feature lists; ask your happiest clients for one.",
        "Before you publish, read the draft aloud and cut every sentence that does not help the reader.",
        "Turn one good article into a newsletter, a few social posts and a short video.",
    ],
    "ecommerce": [
        "Every extra field in the checkout costs sales; ask only for what you need to ship the order.",
        "Show shipping costs early, because surprise fees at the last step are the top reason carts are "
        "abandoned.",
        "Product descriptions should answer the questions your shop assistant hears every day.",
        "Good product photos on a plain background sell more than any discount.",
        "Use discount codes for a reason, such as a first order or a slow season, not as a permanent price.",
        "An abandoned cart email sent within a few hours recovers a surprising share of orders.",
        "Offer one relevant upsell at checkout, not five, and make it easy to skip.",
        "A clear returns policy near the buy button reassures first-time customers.",
        "Keep inventory and prices in sync across your store and marketplaces to avoid cancelled orders.",
    ],
    "design": [
        "Navigation should use the words your customers use, not your internal department names.",
        "Most visitors arrive on a phone, so design the mobile layout first and the desktop version second.",
        "Accessible design helps everyone: readable text, enough colour contrast and labels on every form "
        "field.",
        "Two typefaces are plenty; consistent sizes and spacing matter more than the fonts themselves.",
        "Every page should have one obvious call-to-action button, and it should say what happens next.",
        "Short contact forms get more enquiries; ask for a name, an email address and a message.",
        "Sketch a wireframe on paper before opening a design tool, and test it with a real customer.",
        "Watching three people use your site for ten minutes each reveals most usability problems.",
        "Whitespace is not wasted space; it tells the reader where to look.",
    ],
    "performance": [
        "Measure page speed on a mid-range phone over a mobile connection, because that is how customers "
        "see it.",
        "Images are usually the heaviest part of a page, so compress them and serve modern formats.",
        "Page caching is the cheapest speed improvement most WordPress sites can make.",
        "A CDN serves your files from a location near each visitor, which helps if customers are far away.",
        "Lazy loading images below the fold lets the first screen appear sooner.",
        "Every third-party script, from chat widgets to trackers, adds delay; remove the ones nobody uses.",
        "Core Web Vitals reward pages that render quickly and do not jump around while loading.",
        "A Lighthouse score is a guide, not a goal; real visitors' load times matter more.",
        "Cheap hosting is often the bottleneck: a faster server can cut the time to first byte in half.",
    ],
    "security": [
        "Keep automatic, off-site backups and test a restore at least once, before you need it.",
        "A password manager lets everyone on the team use long, unique passwords without writing them down.",
        "Turn on two-factor login for every administrator account; it stops most account takeovers.",
        "Most hacked sites we clean up were running an outdated plugin, so apply updates every week.",
        "An SSL certificate is free and expected; browsers warn visitors away from sites without one.",
        "A web application firewall blocks common attacks before they reach WordPress.",
        "Give each person the lowest permission they need, and remove accounts when people leave.",
        "A yearly security audit finds forgotten plugins, old accounts and risky settings.",
        "If your site is hacked, take it offline, restore a clean backup and change every password.",
    ],
    "wordpress": [
        "Choose a well-supported theme with regular updates rather than the one with the flashiest demo.",
        "The block editor lets you build most page layouts without a page builder plugin.",
        "Every plugin is code you have to trust and update, so install only the ones you really use.",
        "Managed WordPress hosting costs more but includes backups, caching and updates.",
        "Custom post types keep things like events or team members out of your blog posts.",
        "A child theme keeps your changes safe when the parent theme is updated.",
        "Test major WordPress updates on a staging copy of the site first.",
        "Tidy up the admin menu so editors see only what they need.",
        "Multisite helps when you run several similar sites, but it makes hosting and plugins more "
        "complicated.",
    ],
}

CLOSERS = [
    "If you want a second pair of eyes on your site, our team is happy to take a look.",
    "Try one change at a time, give it a few weeks, and compare the numbers before and after.",
    "Questions? Reply to our newsletter and we will answer them in a future post.",
    "We update this post when something important changes, so it is worth bookmarking.",
    "Start small, write down what you changed, and check the results again next month.",
]

# Banner / call-to-action offers: (title, topic, funnel stage, the line under the title).
OFFERS = [
    ("Free SEO audit of your site", "seo", "decision",
     "Send us your address and we will review your search rankings, sitemap and top pages within a week."),
    ("Download the keyword research checklist", "seo", "consideration",
     "A one-page keyword checklist we use with every new client, free to download."),
    ("Try our analytics dashboard free for 14 days", "analytics", "decision",
     "Conversions, funnels and campaign reports for your site in one dashboard. No card needed."),
    ("Join the weekly newsletter", "email", "awareness",
     "One practical marketing tip in your inbox every Tuesday, read by 4,000 small business owners."),
    ("Email automation templates pack", "email", "consideration",
     "Welcome, abandoned cart and re-engagement email templates you can copy into your newsletter tool."),
    ("Social media calendar template", "social", "consideration",
     "A simple calendar to plan a month of posts for Instagram and LinkedIn in one sitting."),
    ("Content strategy workshop: book a seat", "content", "decision",
     "A half-day workshop to plan your editorial calendar for the next quarter. Twelve seats per session."),
    ("Store checkout optimisation guide", "ecommerce", "consideration",
     "Twenty changes to your checkout and cart pages that recover lost orders, with examples."),
    ("Accessibility review for your theme", "design", "decision",
     "We test your layout, colour contrast and forms against WCAG and send a prioritised fix list."),
    ("Speed up your site: free performance report", "performance", "decision",
     "A page speed and Core Web Vitals report for your five busiest pages, with the fixes that matter."),
    ("Security hardening checklist", "security", "awareness",
     "Backups, passwords, updates and firewall settings: the checklist that keeps most attacks out."),
    ("Managed WordPress hosting trial", "wordpress", "decision",
     "Fast WordPress hosting with daily backups, caching and plugin updates included. First month free."),
]


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:]


def _fill(pattern: str, subject: str) -> str:
    return pattern.format(s=subject, S=_capitalised(subject))


class PostWriter:
    """Writes each topic's posts: a title never used before on the site and a body in the topic's words."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        # Every (pattern, subject) pair of a topic, in a seeded order; each post takes the next one.
        self._titles = {}
        for topic, subjects in SUBJECTS.items():
            pairs = [(pattern, subject) for pattern in TITLE_PATTERNS for subject in subjects]
            self._titles[topic] = [pairs[i] for i in rng.permutation(len(pairs))]
        self._used = dict.fromkeys(SUBJECTS, 0)

    def _pick(self, options: list[str], n: int) -> list[str]:
        return [options[i] for i in self.rng.choice(len(options), size=n, replace=False)]

    def write(self, topic: str, second: str | None) -> tuple[str, str]:
        """(title, text) of the next post on topic, a quarter of it on second when there is one."""
        titles = self._titles[topic]
        k = self._used[topic]
        self._used[topic] += 1
        pattern, subject = titles[k % len(titles)]
        title = _fill(pattern, subject)
        if k >= len(titles):  # more posts on one topic than pairs: a follow-up, still a title of its own
            title += f" (part {k // len(titles) + 1})"
        opener = _fill(OPENERS[int(self.rng.integers(len(OPENERS)))], subject)
        main = self._pick(SENTENCES[topic], 6)
        paragraphs = [opener, " ".join(main[:3]), " ".join(main[3:])]
        if second is not None:
            paragraphs.append(" ".join(self._pick(SENTENCES[second], 2)))
        paragraphs.append(CLOSERS[int(self.rng.integers(len(CLOSERS)))])
        return title, "\n\n".join(paragraphs)


def excerpt(text: str) -> str:
    """A post's excerpt: its opening paragraph (the text up to the first blank line)."""
    return text.split("\n\n", 1)[0].strip()
