#!/usr/bin/env python3
"""letter.py — what a mail itaku sent says, checked as its reader sees it:
both parts (the text, and the HTML with its markup taken away), the
subject, the headers.

usage: letter.py EML [--has TEXT]... [--lacks TEXT]... [--subject-has TEXT]...
                 [--link URL] [--header NAME=VALUE]...

--has: in the text part and in the HTML part's text; --lacks: in neither,
nor in the subject; --link: on a line of its own in the text part and the
href of a link in the HTML part. Prints one line per failed check and
exits 1 when there is any; --print shows the text part first."""
import argparse
import email
import email.policy
import html
import html.parser
import sys


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.hrefs = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href"]
        if tag in ("br", "p"):
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("eml")
    p.add_argument("--has", action="append", default=[])
    p.add_argument("--lacks", action="append", default=[])
    p.add_argument("--subject-has", action="append", default=[])
    p.add_argument("--link", action="append", default=[])
    p.add_argument("--header", action="append", default=[])
    p.add_argument("--print", action="store_true")
    a = p.parse_args()
    m = email.message_from_bytes(open(a.eml, "rb").read(), policy=email.policy.default)
    text = m.get_body(("plain",)).get_content().replace("\r\n", "\n")
    h = Text()
    h.feed(m.get_body(("html",)).get_content())
    page = "".join(h.parts)
    subject = str(m["Subject"])
    if a.print:
        print("Subject:", subject)
        print(text)
    bad = []
    for s in a.has:
        for name, body in (("text", text), ("html", page)):
            if s not in body:
                bad.append("%s part lacks %r" % (name, s))
    for s in a.lacks:
        for name, body in (("text", text), ("html", page), ("subject", subject)):
            if s in body:
                bad.append("%s has %r" % (name, s))
    for s in a.subject_has:
        if s not in subject:
            bad.append("subject %r lacks %r" % (subject, s))
    for url in a.link:
        if url not in text.split("\n"):
            bad.append("text part has no line %r" % url)
        if url not in h.hrefs:
            bad.append("html part has no link to %r (links: %r)" % (url, h.hrefs))
    for hv in a.header:
        k, v = hv.split("=", 1)
        if str(m[k]) != v:
            bad.append("header %s is %r, want %r" % (k, str(m[k]), v))
    for b in bad:
        print("%s: %s" % (a.eml, b))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
