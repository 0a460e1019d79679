/* chart.c — the dashboard's SVG charts: geometry and the text that says
 * the same in words. Owns where things are drawn, the hatch patterns and
 * dashes that make a chart readable in black and white, and the <title> /
 * <desc> of each chart. Must not compute statistics (core/aggregate.c),
 * choose words (the caller's labels, from the catalogue) or write markup
 * as text: every node goes through view_svg_el() and view_attr(). */
#include "core/web/chart.h"

#include "core/util/buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DESC_MAX ((size_t)64 * 1024)

void chart_num(double v, char *out, size_t len)
{
	if (!isfinite(v) || fabs(v) > 1e15)
		v = 0;
	if (fabs(v - round(v)) < 0.05)
		snprintf(out, len, "%.0f", round(v) == 0 ? 0.0 : round(v));
	else
		snprintf(out, len, "%.1f", v);
}

static int valid_id(const char *id)
{
	size_t n = id != NULL ? strlen(id) : 0;
	if (n == 0 || n > 40)
		return 0;
	return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

static void attr_num(view_node *n, const char *name, double v)
{
	char b[32];
	chart_num(v, b, sizeof(b));
	view_attr(n, name, b);
}

static view_node *shape(view_node *p, const char *tag, const char *cls)
{
	view_node *n = view_svg_el(p, tag, NULL);
	view_attr(n, "class", cls);
	return n;
}

static view_node *line(view_node *p, double x1, double y1, double x2, double y2, const char *cls)
{
	view_node *n = shape(p, "line", cls);
	attr_num(n, "x1", x1);
	attr_num(n, "y1", y1);
	attr_num(n, "x2", x2);
	attr_num(n, "y2", y2);
	return n;
}

static view_node *rect(view_node *p, double x, double y, double w, double h, const char *cls)
{
	view_node *n = shape(p, "rect", cls);
	attr_num(n, "x", x);
	attr_num(n, "y", y);
	attr_num(n, "width", w > 0 ? w : 0);
	attr_num(n, "height", h > 0 ? h : 0);
	return n;
}

/* anchor: "start", "middle" or "end" */
static view_node *text_at(view_node *p, double x, double y, const char *anchor, const char *cls,
                          const char *s)
{
	view_node *n = view_svg_el(p, "text", s != NULL ? s : "");
	attr_num(n, "x", x);
	attr_num(n, "y", y);
	if (anchor != NULL && strcmp(anchor, "start") != 0)
		view_attr(n, "text-anchor", anchor);
	view_attr(n, "class", cls != NULL ? cls : "lbl");
	return n;
}

static const char *colour_class(chart_colour c)
{
	static const char *const cls[] = {"ck0", "ck1", "ck2", "ck3", "ck4", "ck5", "ck6", "ck7"};
	return cls[(unsigned)c % CHART_NCOLOURS];
}

/* Each colour's hatch, so that areas differ when printed in grey. */
static void pattern(view_node *defs, const char *id, chart_colour c)
{
	static const char *const hatch[] = {
	        NULL,                                /* solid */
	        "M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6", /* / */
	        NULL,                                /* dots */
	        "M-2,6 L2,10 M0,0 L8,8 M6,-2 L10,2", /* \ */
	        "M0,4 H8",                           /* horizontal */
	        "M0,0 L8,8 M8,0 L0,8",               /* cross */
	        "M4,0 V8",                           /* vertical */
	        NULL,                                /* sparse dots */
	};
	char pid[64];
	unsigned k = (unsigned)c % CHART_NCOLOURS;
	view_node *p = view_svg_el(defs, "pattern", NULL), *h;

	snprintf(pid, sizeof(pid), "%s-p%u", id, k);
	view_attr(p, "id", pid);
	view_attr(p, "width", "8");
	view_attr(p, "height", "8");
	view_attr(p, "patternUnits", "userSpaceOnUse");
	rect(p, 0, 0, 8, 8, colour_class(c));
	if (hatch[k] != NULL) {
		h = shape(p, "path", "hatch");
		view_attr(h, "d", hatch[k]);
	} else if (k == CHART_SKY || k == CHART_GREY) {
		h = shape(p, "circle", "hatch");
		view_attr(h, "cx", k == CHART_SKY ? "4" : "2");
		view_attr(h, "cy", k == CHART_SKY ? "4" : "2");
		view_attr(h, "r", k == CHART_SKY ? "1.6" : "1");
	}
}

static void patterns(view_node *svg, const char *id, unsigned used)
{
	view_node *defs = view_svg_el(svg, "defs", NULL);
	for (unsigned k = 0; k < CHART_NCOLOURS; k++)
		if (used & (1u << k))
			pattern(defs, id, (chart_colour)k);
}

static void fill_pattern(view_node *n, const char *id, chart_colour c)
{
	char url[80];
	snprintf(url, sizeof(url), "url(#%s-p%u)", id, (unsigned)c % CHART_NCOLOURS);
	view_attr(n, "fill", url);
}

/* The <svg> with its title and the description desc (the values in
 * words), which assistive technology reads with the name. */
static view_node *open_chart(view_node *parent, const char *id, int w, int h, const char *title,
                             const char *desc, const char *cls)
{
	char did[64], klass[64];
	view_node *svg;
	if (!valid_id(id) || (svg = view_svg(parent, w, h, title)) == NULL)
		return NULL;
	snprintf(did, sizeof(did), "%s-desc", id);
	snprintf(klass, sizeof(klass), "chart %s", cls);
	view_attr(svg, "id", id);
	view_attr(svg, "class", klass);
	view_attr(svg, "aria-describedby", did);
	view_svg_el(svg, "title", title != NULL ? title : "");
	view_attr(view_svg_el(svg, "desc", desc != NULL ? desc : ""), "id", did);
	return svg;
}

/* ---- the description: a growing string ---- */

static void say(buf *b, const char *s)
{
	if (s != NULL)
		buf_add(b, s, strlen(s));
}

static void say_num(buf *b, double v)
{
	char n[32];
	chart_num(v, n, sizeof(n));
	say(b, n);
}

static void say_int(buf *b, long long v)
{
	char n[32];
	snprintf(n, sizeof(n), "%lld", v);
	say(b, n);
}

static const char *said(buf *b)
{
	return b->p != NULL ? (const char *)b->p : "";
}

/* ---- a stacked bar ---- */

#define W_STACK 600

view_node *chart_stacked(view_node *parent, const char *id, const char *title,
                         const chart_part *parts, size_t n, long long total)
{
	long long sum = 0;
	unsigned used = 0;
	size_t rows = (n + 3) / 4;
	double x = 0, scale;
	buf d;
	view_node *svg, *g;

	for (size_t i = 0; i < n; i++) {
		sum += parts[i].n > 0 ? parts[i].n : 0;
		used |= 1u << ((unsigned)parts[i].colour % CHART_NCOLOURS);
	}
	if (total < sum)
		total = sum;
	buf_init(&d, DESC_MAX);
	for (size_t i = 0; i < n; i++) {
		long long v = parts[i].n > 0 ? parts[i].n : 0;
		say(&d, i ? "; " : "");
		say(&d, parts[i].label);
		say(&d, ": ");
		say_int(&d, v);
		say(&d, "/");
		say_int(&d, total);
		say(&d, " (");
		say_num(&d, total > 0 ? 100.0 * (double)v / (double)total : 0);
		say(&d, "%)");
	}
	svg = open_chart(parent, id, W_STACK, 44 + (int)rows * 24, title, said(&d), "stacked");
	buf_reset(&d);
	if (svg == NULL)
		return NULL;
	patterns(svg, id, used | (1u << CHART_GREY));
	scale = total > 0 ? (W_STACK - 2) / (double)total : 0;
	/* the whole, then each part on it */
	fill_pattern(rect(svg, 1, 4, W_STACK - 2, 28, "frame"), id, CHART_GREY);
	g = view_svg_el(svg, "g", NULL);
	for (size_t i = 0; i < n; i++) {
		double w = (parts[i].n > 0 ? (double)parts[i].n : 0) * scale;
		char c[32];
		if (w <= 0)
			continue;
		fill_pattern(rect(g, 1 + x, 4, w, 28, "part"), id, parts[i].colour);
		snprintf(c, sizeof(c), "%lld", parts[i].n);
		if (w >= 9.0 * (double)strlen(c) + 6)
			text_at(g, 1 + x + w / 2, 23, "middle", "onbar", c);
		x += w;
	}
	/* the legend: four to a row */
	for (size_t i = 0; i < n; i++) {
		double lx = (double)(i % 4) * (W_STACK / 4.0), ly = 40 + floor((double)i / 4) * 24;
		char t[300];
		fill_pattern(rect(svg, lx + 1, ly + 2, 14, 14, "swatch"), id, parts[i].colour);
		snprintf(t, sizeof(t), "%s %lld", parts[i].label ? parts[i].label : "",
		         parts[i].n > 0 ? parts[i].n : 0);
		text_at(svg, lx + 20, ly + 14, "start", "lbl", t);
	}
	return svg;
}

/* ---- vertical bars ---- */

#define W_BARS 360
#define H_BARS 210

view_node *chart_bars(view_node *parent, const char *id, const char *title, const chart_part *bars,
                      size_t n, int mark, const char *mark_label)
{
	const double left = 10, right = W_BARS - 10, top = 30, base = 170;
	long long max = 0;
	unsigned used = 0;
	double slot, scale;
	buf d;
	view_node *svg;

	for (size_t i = 0; i < n; i++) {
		if (bars[i].n > max)
			max = bars[i].n;
		used |= 1u << ((unsigned)bars[i].colour % CHART_NCOLOURS);
	}
	buf_init(&d, DESC_MAX);
	for (size_t i = 0; i < n; i++) {
		say(&d, i ? "; " : "");
		say(&d, bars[i].label);
		say(&d, ": ");
		say_int(&d, bars[i].n > 0 ? bars[i].n : 0);
	}
	if (mark >= 0 && (size_t)mark < n && mark_label != NULL) {
		say(&d, "; ");
		say(&d, mark_label);
		say(&d, ": ");
		say(&d, bars[mark].label);
	}
	svg = open_chart(parent, id, W_BARS, H_BARS, title, said(&d), "bars");
	buf_reset(&d);
	if (svg == NULL)
		return NULL;
	patterns(svg, id, used);
	slot = n > 0 ? (right - left) / (double)n : 0;
	scale = max > 0 ? (base - top) / (double)max : 0;
	line(svg, left, base, right, base, "axis");
	for (size_t i = 0; i < n; i++) {
		double v = bars[i].n > 0 ? (double)bars[i].n : 0, h = v * scale;
		double x = left + slot * (double)i;
		char c[32];
		snprintf(c, sizeof(c), "%lld", bars[i].n > 0 ? bars[i].n : 0);
		fill_pattern(rect(svg, x + slot * 0.15, base - h, slot * 0.7, h, "part"), id,
		             bars[i].colour);
		text_at(svg, x + slot / 2, base - h - 5, "middle", "lbl", c);
		text_at(svg, x + slot / 2, base + 18, "middle", "lbl", bars[i].label);
	}
	if (mark >= 0 && (size_t)mark < n) {
		double x = left + slot * (double)mark;
		line(svg, x, top - 12, x, base + 4, "ref");
		text_at(svg, x + 4, top - 16 < 12 ? 12 : top - 16, "start", "lbl ref-label",
		        mark_label);
	}
	return svg;
}

/* ---- a radar ---- */

#define W_RADAR 720
#define H_RADAR 470

static const char *const dashes[] = {NULL, "8 4", "2 3", "10 3 2 3"};

static void point_add(buf *pts, double x, double y)
{
	say(pts, pts->len ? " " : "");
	say_num(pts, x);
	say(pts, ",");
	say_num(pts, y);
}

/* A marker of series k at (x, y): circle, square, triangle, diamond. */
static void marker(view_node *g, unsigned k, double x, double y, const char *cls)
{
	buf pts;
	view_node *m;
	switch (k % 4) {
	case 0:
		m = shape(g, "circle", cls);
		attr_num(m, "cx", x);
		attr_num(m, "cy", y);
		view_attr(m, "r", "4");
		return;
	case 1: rect(g, x - 3.5, y - 3.5, 7, 7, cls); return;
	default: break;
	}
	buf_init(&pts, 512);
	point_add(&pts, x, y - 5);
	if (k % 4 == 2) {
		point_add(&pts, x - 4.5, y + 3.5);
		point_add(&pts, x + 4.5, y + 3.5);
	} else {
		point_add(&pts, x + 5, y);
		point_add(&pts, x, y + 5);
		point_add(&pts, x - 5, y);
	}
	m = shape(g, "polygon", cls);
	view_attr(m, "points", said(&pts));
	buf_reset(&pts);
}

/* The byte length of the first max characters of UTF-8 s. */
static size_t utf8_prefix(const char *s, size_t max)
{
	size_t i = 0, chars = 0;
	while (s[i] != '\0' && chars < max) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	return i;
}

/* An axis label, in two lines when longer than 16 characters: at the last
 * space among the first 20, or after 14 characters (Japanese has no
 * spaces); the second line cut at 16 with an ellipsis. */
static void axis_label(view_node *svg, double x, double y, const char *anchor, const char *s)
{
	size_t len = strlen(s), cut, rest, n2;
	view_node *t, *ts;
	char first[256], second[256];

	if (utf8_prefix(s, 16) >= len) {
		text_at(svg, x, y, anchor, "lbl", s);
		return;
	}
	cut = utf8_prefix(s, 14);
	for (size_t i = utf8_prefix(s, 20); i > 3; i--)
		if (s[i] == ' ') {
			cut = i;
			break;
		}
	rest = cut + (s[cut] == ' ');
	n2 = utf8_prefix(s + rest, 16);
	snprintf(first, sizeof(first), "%.*s", (int)cut, s);
	snprintf(second, sizeof(second), "%.*s%s", (int)n2, s + rest,
	         s[rest + n2] != '\0' ? "…" : "");
	t = text_at(svg, x, y - 7, anchor, "lbl", NULL);
	view_svg_el(t, "tspan", first);
	ts = view_svg_el(t, "tspan", second);
	attr_num(ts, "x", x);
	view_attr(ts, "dy", "15");
}

view_node *chart_radar(view_node *parent, const char *id, const char *title,
                       const char *const *axis, size_t naxes, const chart_series *s, size_t nseries,
                       double lo, double hi)
{
	const double cx = W_RADAR / 2.0, cy = 215, r = 150;
	buf d;
	view_node *svg, *g;

	if (!(hi > lo))
		hi = lo + 1;
	buf_init(&d, DESC_MAX);
	for (size_t k = 0; k < nseries; k++) {
		say(&d, k ? ". " : "");
		say(&d, s[k].label);
		say(&d, ": ");
		for (size_t i = 0; i < naxes; i++) {
			say(&d, i ? ", " : "");
			say(&d, axis[i]);
			say(&d, " ");
			if (s[k].v != NULL && isfinite(s[k].v[i]))
				say_num(&d, s[k].v[i]);
			else
				say(&d, "—");
		}
	}
	svg = open_chart(parent, id, W_RADAR, H_RADAR, title, said(&d), "radar");
	buf_reset(&d);
	if (svg == NULL)
		return NULL;
	if (naxes < 3) {
		text_at(svg, cx, cy, "middle", "lbl", "—");
		return svg;
	}
	/* rings at each whole step of the scale, labelled on the first axis */
	g = view_svg_el(svg, "g", NULL);
	/* whole-number counters (at most 100 rings): a double would not
	 * count reliably */
	for (long long step = (long long)ceil(lo), rings = 0;
	     (double)step <= hi + 1e-9 && rings < 100; step++, rings++) {
		double v = (double)step, rr = r * (v - lo) / (hi - lo);
		buf pts;
		buf_init(&pts, DESC_MAX);
		for (size_t i = 0; i < naxes; i++) {
			double a = -M_PI / 2 + 2 * M_PI * (double)i / (double)naxes;
			point_add(&pts, cx + rr * cos(a), cy + rr * sin(a));
		}
		view_attr(shape(g, "polygon", "grid"), "points", said(&pts));
		buf_reset(&pts);
		if (rr > 0) {
			char n[32];
			chart_num(v, n, sizeof(n));
			text_at(g, cx + 4, cy - rr + 4, "start", "lbl tick", n);
		}
	}
	for (size_t i = 0; i < naxes; i++) {
		double a = -M_PI / 2 + 2 * M_PI * (double)i / (double)naxes;
		double lx = cx + (r + 16) * cos(a), ly = cy + (r + 16) * sin(a) + 5;
		const char *anchor = fabs(cos(a)) < 0.2 ? "middle" : cos(a) > 0 ? "start" : "end";
		line(g, cx, cy, cx + r * cos(a), cy + r * sin(a), "axis");
		if (sin(a) < -0.9)
			ly -= 6;
		else if (sin(a) > 0.9)
			ly += 8;
		axis_label(svg, lx, ly, anchor, axis[i] != NULL ? axis[i] : "");
	}
	for (size_t k = 0; k < nseries; k++) {
		view_node *sg = view_svg_el(svg, "g", NULL), *l;
		buf pts;
		size_t finite = 0;
		char cls[32];
		buf_init(&pts, DESC_MAX);
		snprintf(cls, sizeof(cls), "series %s", colour_class(s[k].colour));
		for (size_t i = 0; i < naxes; i++) {
			double a = -M_PI / 2 + 2 * M_PI * (double)i / (double)naxes, v;
			if (s[k].v == NULL || !isfinite(s[k].v[i]))
				continue;
			v = s[k].v[i] < lo ? lo : s[k].v[i] > hi ? hi : s[k].v[i];
			point_add(&pts, cx + r * (v - lo) / (hi - lo) * cos(a),
			          cy + r * (v - lo) / (hi - lo) * sin(a));
			finite++;
		}
		/* a value missing: the line is left open there, not drawn to 0 */
		l = shape(sg, finite == naxes ? "polygon" : "polyline", cls);
		view_attr(l, "points", said(&pts));
		if (finite != naxes)
			view_attr(l, "fill", "none");
		view_attr(l, "stroke-dasharray", dashes[k % 4]);
		buf_reset(&pts);
		snprintf(cls, sizeof(cls), "mark %s", colour_class(s[k].colour));
		for (size_t i = 0; i < naxes; i++) {
			double a = -M_PI / 2 + 2 * M_PI * (double)i / (double)naxes, v;
			if (s[k].v == NULL || !isfinite(s[k].v[i]))
				continue;
			v = s[k].v[i] < lo ? lo : s[k].v[i] > hi ? hi : s[k].v[i];
			marker(sg, (unsigned)k, cx + r * (v - lo) / (hi - lo) * cos(a),
			       cy + r * (v - lo) / (hi - lo) * sin(a), cls);
		}
		/* its legend entry: the same dash and marker */
		{
			double lx = 20 + (double)(k % 3) * 205,
			       ly = H_RADAR - 40 + floor((double)k / 3) * 20;
			snprintf(cls, sizeof(cls), "series %s", colour_class(s[k].colour));
			view_attr(line(sg, lx, ly, lx + 36, ly, cls), "stroke-dasharray",
			          dashes[k % 4]);
			snprintf(cls, sizeof(cls), "mark %s", colour_class(s[k].colour));
			marker(sg, (unsigned)k, lx + 18, ly, cls);
			text_at(sg, lx + 44, ly + 5, "start", "lbl", s[k].label);
		}
	}
	return svg;
}

/* ---- a scatter ---- */

#define W_SCATTER 640
#define H_SCATTER 380

static int point_cmp(const void *a, const void *b)
{
	const chart_point *p = a, *q = b;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return 0;
}

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

view_node *chart_scatter(view_node *parent, const char *id, const char *title, const chart_axes *ax,
                         const chart_point *p, size_t n)
{
	const double left = 64, right = W_SCATTER - 20, top = 20, base = H_SCATTER - 60;
	double xlo = ax->xlo, xhi = ax->xhi, ylo = ax->ylo, yhi = ax->yhi;
	double sx = 0, sy = 0, xs, ys, weight = 0;
	size_t good = 0;
	chart_point *q = n ? malloc(n * sizeof(*q)) : NULL;
	buf d;
	view_node *svg = NULL, *g;
	char num[32], t[400];

	if (n > 0 && q == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (isfinite(p[i].x) && isfinite(p[i].y)) {
			double w = p[i].n > 1 ? (double)p[i].n : 1;
			q[good++] = p[i];
			sx += w * p[i].x;
			sy += w * p[i].y;
			weight += w;
		}
	if (good > 1)
		qsort(q, good, sizeof(*q), point_cmp);
	if (!(xhi > xlo)) {
		xlo -= 1;
		xhi += 1;
	}
	if (!(yhi > ylo))
		yhi = ylo + 1;
	xs = (right - left) / (xhi - xlo);
	ys = (base - top) / (yhi - ylo);
	buf_init(&d, DESC_MAX);
	say(&d, ax->xname);
	say(&d, " / ");
	say(&d, ax->yname);
	say(&d, ": ");
	say_num(&d, weight);
	if (good > 0) {
		say(&d, "; ");
		say(&d, ax->mean_label);
		say(&d, " ");
		say_num(&d, sx / weight);
		say(&d, " / ");
		say_num(&d, sy / weight);
	}
	svg = open_chart(parent, id, W_SCATTER, H_SCATTER, title, said(&d), "scatter");
	buf_reset(&d);
	if (svg == NULL)
		goto out;
	g = view_svg_el(svg, "g", NULL);
	/* axes, ticks: x at each whole number, y at five steps */
	line(g, left, base, right, base, "axis");
	line(g, left, top, left, base, "axis");
	for (long long step = (long long)ceil(xlo), ticks = 0;
	     (double)step <= xhi + 1e-9 && ticks < 100; step++, ticks++) {
		double x = (double)step;
		chart_num(x, num, sizeof(num));
		line(g, left + (x - xlo) * xs, base, left + (x - xlo) * xs, base + 5, "axis");
		text_at(g, left + (x - xlo) * xs, base + 20, "middle", "lbl", num);
	}
	for (int k = 0; k <= 4; k++) {
		double y = ylo + (yhi - ylo) * k / 4.0;
		chart_num(y, num, sizeof(num));
		line(g, left, base - (y - ylo) * ys, right, base - (y - ylo) * ys, "grid");
		text_at(g, left - 8, base - (y - ylo) * ys + 4, "end", "lbl", num);
	}
	text_at(g, (left + right) / 2, H_SCATTER - 16, "middle", "lbl axis-name", ax->xname);
	text_at(g, 14, top - 6 < 12 ? 12 : top - 6, "start", "lbl axis-name", ax->yname);
	/* the points, one mark per place, sized by how many are there */
	g = view_svg_el(svg, "g", NULL);
	for (size_t i = 0; i < good;) {
		size_t j = i;
		long long many = 0;
		double cxp, cyp;
		view_node *c;
		buf lab;
		while (j < good && q[j].x == q[i].x && q[j].y == q[i].y)
			many += q[j++].n > 1 ? q[j - 1].n : 1;
		cxp = left + (clampd(q[i].x, xlo, xhi) - xlo) * xs;
		cyp = base - (clampd(q[i].y, ylo, yhi) - ylo) * ys;
		c = shape(g, "circle", "pt ck0");
		attr_num(c, "cx", cxp);
		attr_num(c, "cy", cyp);
		attr_num(c, "r", fmin(4 + 2 * sqrt(many > 1 ? (double)(many - 1) : 0), 14));
		buf_init(&lab, 4096);
		for (size_t k = i; k < j && k < i + 3; k++) {
			say(&lab, k > i ? ", " : "");
			say(&lab, q[k].label);
		}
		if (j - i > 3)
			say(&lab, ", …");
		chart_num(q[i].x, num, sizeof(num));
		snprintf(t, sizeof(t), " (%lld): %s / ", many, num);
		say(&lab, t);
		say_num(&lab, q[i].y);
		view_svg_el(c, "title", said(&lab));
		buf_reset(&lab);
		i = j;
	}
	/* the means, dashed and labelled */
	if (good > 0) {
		double my = sy / weight, mx = sx / weight;
		double y = base - (clampd(my, ylo, yhi) - ylo) * ys;
		double x = left + (clampd(mx, xlo, xhi) - xlo) * xs;
		line(svg, left, y, right, y, "ref");
		chart_num(my, num, sizeof(num));
		snprintf(t, sizeof(t), "%s %s", ax->mean_label ? ax->mean_label : "", num);
		text_at(svg, right, y - 5, "end", "lbl ref-label", t);
		line(svg, x, top, x, base, "ref");
		chart_num(mx, num, sizeof(num));
		snprintf(t, sizeof(t), "%s %s", ax->mean_label ? ax->mean_label : "", num);
		text_at(svg, x + 4, top + 10, "start", "lbl ref-label", t);
	}
out:
	free(q);
	return svg;
}

/* ---- a step line over days ---- */

#define W_STEPS 640
#define H_STEPS 250

/* Days since 1970-01-01 of "YYYY-MM-DD"; -1 when it is not one. */
static long long day_number(const char *s)
{
	struct tm tm = {0};
	const char *end;
	if (s == NULL || strlen(s) < 10)
		return -1;
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL || end != s + 10)
		return -1;
	return (long long)(timegm(&tm) / 86400);
}

view_node *chart_steps(view_node *parent, const char *id, const char *title, const char *const *day,
                       const long long *v, size_t n, long long top, const char *top_label,
                       const char *due, const char *due_label)
{
	const double left = 56, right = W_STEPS - 24, ytop = 24, base = H_STEPS - 50;
	long long d0 = -1, d1 = -1, dd = day_number(due), max = top;
	double xs, ys;
	buf d, path;
	view_node *svg, *g;
	char num[32], t[300];

	for (size_t i = 0; i < n; i++) {
		long long k = day_number(day[i]);
		if (k < 0)
			continue;
		if (d0 < 0 || k < d0)
			d0 = k;
		if (k > d1)
			d1 = k;
		if (v[i] > max)
			max = v[i];
	}
	if (d0 < 0)
		d0 = d1 = dd >= 0 ? dd : 0;
	if (dd > d1)
		d1 = dd;
	if (d1 == d0)
		d1 = d0 + 1;
	if (max <= 0)
		max = 1;
	/* whole-number ticks: a step of ceil(max / 4), the top a multiple of it */
	{
		long long step = (max + 3) / 4;
		max = step * 4;
	}
	xs = (right - left) / (double)(d1 - d0);
	ys = (base - ytop) / (double)max;
	buf_init(&d, DESC_MAX);
	for (size_t i = 0; i < n; i++) {
		say(&d, i ? "; " : "");
		say(&d, day[i]);
		say(&d, ": ");
		say_int(&d, v[i]);
	}
	if (top_label != NULL) {
		say(&d, n ? "; " : "");
		say(&d, top_label);
		say(&d, ": ");
		say_int(&d, top);
	}
	if (due != NULL && dd >= 0 && due_label != NULL) {
		say(&d, "; ");
		say(&d, due_label);
		say(&d, ": ");
		say(&d, due);
	}
	svg = open_chart(parent, id, W_STEPS, H_STEPS, title, said(&d), "steps");
	buf_reset(&d);
	if (svg == NULL)
		return NULL;
	g = view_svg_el(svg, "g", NULL);
	line(g, left, base, right, base, "axis");
	line(g, left, ytop, left, base, "axis");
	for (int k = 0; k <= 4; k++) {
		double y = (double)max * k / 4.0;
		chart_num(y, num, sizeof(num));
		line(g, left, base - y * ys, right, base - y * ys, "grid");
		text_at(g, left - 8, base - y * ys + 4, "end", "lbl", num);
	}
	if (top_label != NULL && top > 0) {
		line(svg, left, base - (double)top * ys, right, base - (double)top * ys, "ref");
		snprintf(t, sizeof(t), "%s %lld", top_label, top);
		text_at(svg, right, base - (double)top * ys - 5, "end", "lbl ref-label", t);
	}
	if (dd >= 0 && due != NULL) {
		double x = left + (double)(dd - d0) * xs;
		line(svg, x, ytop, x, base, "ref");
		snprintf(t, sizeof(t), "%s %s", due_label ? due_label : "", due);
		text_at(svg, x - 4, base + 36, x > (left + right) / 2 ? "end" : "start",
		        "lbl ref-label", t);
	}
	/* the first and the last day under the axis */
	{
		time_t a = (time_t)(d0 * 86400), b = (time_t)(d1 * 86400);
		struct tm ta, tb;
		char s0[16] = "", s1[16] = "";
		if (gmtime_r(&a, &ta) != NULL)
			strftime(s0, sizeof(s0), "%Y-%m-%d", &ta);
		if (gmtime_r(&b, &tb) != NULL)
			strftime(s1, sizeof(s1), "%Y-%m-%d", &tb);
		text_at(g, left, base + 18, "start", "lbl", s0);
		text_at(g, right, base + 18, "end", "lbl", s1);
	}
	/* the steps, and a marker on each day that changed */
	buf_init(&path, DESC_MAX);
	{
		double px = left, py = base;
		int first = 1;
		for (size_t i = 0; i < n; i++) {
			long long k = day_number(day[i]);
			double x, y;
			if (k < 0)
				continue;
			x = left + (double)(k - d0) * xs;
			y = base - (double)(v[i] > 0 ? v[i] : 0) * ys;
			snprintf(t, sizeof(t), "%s", first ? "M" : " H");
			say(&path, t);
			say_num(&path, x);
			if (first) {
				say(&path, ",");
				say_num(&path, py);
			}
			say(&path, " V");
			say_num(&path, y);
			first = 0;
			px = x;
			py = y;
		}
		if (!first) {
			say(&path, " H");
			say_num(&path, right);
			view_attr(shape(svg, "path", "series ck3 line"), "d", said(&path));
		}
		(void)px;
	}
	buf_reset(&path);
	g = view_svg_el(svg, "g", NULL);
	for (size_t i = 0; i < n; i++) {
		long long k = day_number(day[i]);
		if (k < 0)
			continue;
		snprintf(t, sizeof(t), "%s: %lld", day[i], v[i]);
		view_node *m = shape(g, "circle", "mark ck3");
		attr_num(m, "cx", left + (double)(k - d0) * xs);
		attr_num(m, "cy", base - (double)(v[i] > 0 ? v[i] : 0) * ys);
		view_attr(m, "r", "3.5");
		view_svg_el(m, "title", t);
	}
	return svg;
}
