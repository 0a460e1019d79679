# The numbers the overview and the heatmap show are the JSON API's for the
# same campaign (both come from the aggregate's one computation): the
# counts of the progress, the section means and desirable levels, the
# distribution of every item, the organisations below the desirable level
# with their 偏差値, and every cell, mean and deviation of the heatmap for
# several queries (filtered, sorted by an item, items weakest first,
# paged) against GET /api/v1/campaigns/{id}/organisations with the same
# query and levels=1.
. "$HERE/lib/dash.sh"
C=(--config "$INST/itaku.conf")
cid=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2099-09-30 --name "710 数値" "${C[@]}") ||
	die "campaign create"
"$ITAKU" campaign assign "$cid" "$RESP_EC" "${C[@]}" >/dev/null || die "assign ec"
"$ITAKU" campaign assign "$cid" "$RESP_RSA" --variant low-it "${C[@]}" >/dev/null || die "assign rsa"
"$ITAKU" org add --id never-710 --name "Never 710" --role respondent "${C[@]}" >/dev/null || die "org add"
"$ITAKU" campaign assign "$cid" never-710 "${C[@]}" >/dev/null || die "assign never"
# resp-ec: 1.x at 2, everything else at 3; resp-rsa: 4 everywhere
answer resp-ec "$W/fx/resp-ec.crt" "$W/fx/resp-ec.key" 3 "<subcontractors/>" \
	's/\(id="1\.[0-9]*"[^>]*\)level="3"/\1level="2"/'
answer resp-rsa "$W/fx/resp-rsa.crt" "$W/fx/resp-rsa.key" 4 "<subcontractors/>"

check() { # KIND HTML JSON…
	python3 - "$@" <<'PY' || die "page and API differ ($1)"
import json, sys, html.parser

class Doc(html.parser.HTMLParser):
    """the text of every element, with its attributes, as a flat list"""
    def __init__(s):
        super().__init__(); s.stack = []; s.els = []
    def handle_starttag(s, tag, a):
        el = {"tag": tag, "a": dict(a), "text": "", "parent": s.stack[-1] if s.stack else None}
        s.els.append(el)
        if tag not in ("input", "br", "meta", "link"):
            s.stack.append(el)
    def handle_endtag(s, tag):
        while s.stack:
            if s.stack.pop()["tag"] == tag:
                break
    def handle_data(s, d):
        for el in s.stack:
            el["text"] += d

kind, page = sys.argv[1], sys.argv[2]
d = Doc(); d.feed(open(page, encoding="utf-8").read())
docs = [json.load(open(f)) for f in sys.argv[3:]]
fail = []
def eq(got, want, what):
    if got != want:
        fail.append(f"{what}: page {got!r}, API {want!r}")
def f2(x): return "—" if x is None else f"{x:.2f}"
def f1(x): return "—" if x is None else f"{x:.1f}"

def rows(table):
    out = []
    for tr in [e for e in d.els if e["tag"] == "tr" and inside(e, table)]:
        out.append([c for c in d.els if c["parent"] is tr and c["tag"] in ("td", "th")])
    return out
def inside(e, anc):
    while e is not None:
        if e is anc: return True
        e = e["parent"]
    return False

if kind == "overview":
    a, below = docs
    fig = {}
    dts = [e for e in d.els if e["tag"] == "dt"]
    for dt in dts:
        dd = d.els[d.els.index(dt) + 1]
        fig[dt["text"]] = dd["text"]
    p = a["progress"]
    for label, member in (("割り当て", "assigned"), ("受理済み", "answered"), ("差し戻し", "submitted"),
                          ("期限超過", "overdue"), ("未着手", "not_started")):
        eq(fig.get(label), str(p[member]), label)
    eq(fig.get("回答率"), f"{100 * p['answered_ratio']:.1f}%", "回答率")
    eq(fig.get("平均水準"), f2(a["population"]["mean_level"]), "平均水準")
    eq(fig.get("標準偏差"), f2(a["population"]["sd_level"]), "標準偏差")
    # the section table: the first table after the radar
    tables = [e for e in d.els if e["tag"] == "table"]
    sec = rows(tables[0])[1:]
    eq(len(sec), len(a["sections"]), "sections")
    for r, s in zip(sec, a["sections"]):
        eq(r[0]["text"], s["title"]["ja"], "section title")
        eq(r[1]["text"], f2(s["mean"]), f"section {s['id']} mean")
        eq(r[2]["text"], f2(s["desirable"]), f"section {s['id']} desirable")
        eq(r[3]["text"], str(s["organisations"]), f"section {s['id']} organisations")
    # the radar says the same in words
    radar = [e for e in d.els if e["tag"] == "desc" and e["a"].get("id") == "radar-desc"][0]["text"]
    for s in a["sections"]:
        m = s["mean"]
        want = "—" if m is None else (f"{m:.0f}" if abs(m - round(m)) < 0.05 else f"{m:.1f}")
        if f"{s['title']['ja']} {want}" not in radar:
            fail.append(f"radar lacks {s['title']['ja']} {want}: {radar[:200]}")
    # below the desirable level: ids (from the links), totals, means, 偏差値
    bt = tables[1]
    br = rows(bt)[1:]
    eq(len(br), len(below["organisations"]), "organisations below")
    for r, o in zip(br, below["organisations"]):
        link = [e for e in d.els if e["tag"] == "a" and e["parent"] is r[0]][0]["a"]["href"]
        eq(link.split("/")[3].split("?")[0], o["id"], "below: organisation")
        eq(r[2]["text"], str(o["score"]["total"]), "below: total")
        eq(r[3]["text"], f2(o["score"]["mean"]), "below: mean")
        eq(r[4]["text"], f1(o["score"]["deviation"]), "below: deviation")
        eq(r[5]["text"], str(o["score"]["below_desirable"]), "below: count")
    # every item's distribution, from its chart's description
    for i, it in enumerate(a["items"]):
        desc = [e for e in d.els if e["tag"] == "desc" and e["a"].get("id") == f"dist-{i}-desc"][0]["text"]
        want = "; ".join(f"{l}: {it['distribution'][str(l)]}" for l in range(1, 6)) + f"; 該当しない: {it['na']}"
        if not desc.startswith(want):
            fail.append(f"item {it['id']}: {desc!r} vs {want!r}")
else:
    (page_json,) = docs
    t = [e for e in d.els if e["tag"] == "table" and e["a"].get("class") == "heat"][0]
    rs = rows(t)
    head = [c["text"] for c in rs[0]][3:]
    eq(head, [it["id"] for it in page_json["items"]], "the items and their order")
    body = rs[1:]
    eq(len(body), len(page_json["organisations"]), "organisations on the page")
    for r, o in zip(body, page_json["organisations"]):
        a = [e for e in d.els if e["tag"] == "a" and e["parent"] is r[0]][0]
        eq(a["a"]["title"], o["id"], "row organisation")
        eq(a["text"], o["name"], "row name")
        sc = o["score"] or {}
        eq(r[1]["text"], f2(sc.get("mean")), f"{o['id']} mean")
        eq(r[2]["text"], f1(sc.get("deviation")), f"{o['id']} deviation")
        for c, it in zip(r[3:], page_json["items"]):
            lv = o["levels"].get(it["id"])
            want = "—" if lv is None else "対象外" if lv == "na" else f"{lv}{'▾' if lv < it['desirable'] else ''}"
            eq(c["text"], want, f"{o['id']} {it['id']}")
    total = [e for e in d.els if e["a"].get("role") == "status"][0]["text"]
    if not total.startswith(f"{page_json['total']} 組織"):
        fail.append(f"total: {total!r} vs {page_json['total']}")
if fail:
    print("\n".join(fail[:20])); sys.exit(1)
PY
}

expect_eq "$(page admin GET "/admin/campaigns/$cid")" 200 "overview"
cp "$W/page.html" "$W/ov.html"
expect_eq "$(api admin GET "/api/v1/campaigns/$cid/aggregate")" 200 "aggregate"
cp "$W/out.json" "$W/agg.json"
expect_eq "$(api admin GET "/api/v1/campaigns/$cid/organisations?below=1&limit=50")" 200 "below"
cp "$W/out.json" "$W/below.json"
[ "$(jq '.organisations | length' "$W/below.json")" -ge 1 ] || die "nobody below: the test would prove nothing"
check overview "$W/ov.html" "$W/agg.json" "$W/below.json"

for q in "" "sort=item&item=1.1" "cols=weakest&section=1" "variant=low-it" "variant=-&status=accepted" \
	"status=not_started" "sort=id&limit=1&offset=1" "below=1&cols=weakest"; do
	expect_eq "$(page admin GET "/admin/campaigns/$cid/heatmap?$q")" 200 "heatmap ?$q"
	cp "$W/page.html" "$W/hm.html"
	expect_eq "$(api admin GET "/api/v1/campaigns/$cid/organisations?$q${q:+&}levels=1")" 200 "API ?$q"
	check heatmap "$W/hm.html" "$W/out.json"
done
# the pages would show something else if the numbers changed: a check that can fail
jq '.progress.answered = 99' "$W/agg.json" >"$W/agg-wrong.json"
if (check overview "$W/ov.html" "$W/agg-wrong.json" "$W/below.json") >/dev/null 2>&1; then
	die "the comparison does not notice a wrong number"
fi
