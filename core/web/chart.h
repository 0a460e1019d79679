/* chart.h — the dashboard's charts as inline SVG, built on the view layer
 * (view_svg(), view_svg_el(), view_attr(): every label is a text node or
 * an attribute value, escaped by construction). Each chart is an <svg
 * role="img"> with an aria-label, a <title> and a <desc> that says its
 * values in words, and its numbers written as text next to what they
 * measure, so it reads without colour: areas carry hatch patterns and
 * lines dashes and markers as well as the colour-blind-safe palette
 * (Okabe–Ito; classes .ck0–.ck7 in portal.css). A chart decides nothing
 * and computes nothing but its geometry: the numbers are the aggregate's
 * (core/aggregate.h). Non-finite or missing values are drawn as absent,
 * never written as "nan". Labels are the caller's, in the page's language. */
#ifndef ITAKU_CORE_WEB_CHART_H
#define ITAKU_CORE_WEB_CHART_H

#include "core/web/view.h"

#include <stddef.h>

/* The palette: Okabe–Ito's eight colours, each with its own hatch. */
typedef enum {
	CHART_BLUE = 0,       /* #0072B2, solid */
	CHART_ORANGE = 1,     /* #E69F00, diagonal hatch */
	CHART_SKY = 2,        /* #56B4E9, dots */
	CHART_GREEN = 3,      /* #009E73 (bluish green), back-diagonal hatch */
	CHART_YELLOW = 4,     /* #F0E442, horizontal lines */
	CHART_VERMILLION = 5, /* #D55E00, cross hatch */
	CHART_PURPLE = 6,     /* #CC79A7 (reddish purple), vertical lines */
	CHART_GREY = 7,       /* #BBBBBB, sparse dots: "nothing yet" */
	CHART_NCOLOURS = 8
} chart_colour;

/* One part of a whole (a stacked bar) or one bar (a bar chart). */
typedef struct chart_part {
	const char *label;
	long long n;
	chart_colour colour;
} chart_part;

/* Every chart takes an id unique in the page (pattern and description ids
 * are made from it: [A-Za-z0-9_-], at most 40 characters; anything else
 * draws nothing and returns NULL) and a title (the aria-label and
 * <title>). Each returns the <svg>, or NULL when parent is NULL or out of
 * memory. */

/* A horizontal bar of parts stacked left to right out of total (the
 * assigned count; parts larger than it are drawn to scale of their sum),
 * each part's count written on it when it fits and in the legend below. */
view_node *chart_stacked(view_node *parent, const char *id, const char *title,
                         const chart_part *parts, size_t n, long long total);

/* Vertical bars, one per part (e.g. levels 1–5 and "n/a"), each with its
 * count above it; mark (0-based, or -1: none) is drawn as the reference
 * (the desirable level) with a dashed line and its label. */
view_node *chart_bars(view_node *parent, const char *id, const char *title, const chart_part *bars,
                      size_t n, int mark, const char *mark_label);

/* A series of a radar chart: one value per axis, NaN where there is none. */
typedef struct chart_series {
	const char *label;
	const double *v;
	chart_colour colour;
} chart_series;

/* A radar over naxes (3 or more; fewer: a chart saying "no data") axes
 * labelled axis[i], the scale running from lo (the centre) to hi; each
 * series a closed line with its own dash and marker and its values in the
 * description. */
view_node *chart_radar(view_node *parent, const char *id, const char *title,
                       const char *const *axis, size_t naxes, const chart_series *s, size_t nseries,
                       double lo, double hi);

/* A point of a scatter chart standing for n things (0 counts as 1);
 * points at the same place are drawn once, sized by how many they stand
 * for, their labels (the first few) in its <title>. */
typedef struct chart_point {
	double x, y;
	const char *label;
	long long n;
} chart_point;

/* Axes with their names; x runs over whole numbers xlo..xhi (e.g. tiers
 * 1–4), y over ylo..yhi; the mean of y (and of x) drawn as dashed lines
 * labelled with their values. */
typedef struct chart_axes {
	const char *xname, *yname;
	double xlo, xhi, ylo, yhi;
	const char *mean_label; /* "mean", in the page's language */
} chart_axes;

view_node *chart_scatter(view_node *parent, const char *id, const char *title, const chart_axes *ax,
                         const chart_point *p, size_t n);

/* A step line over days: day[i] ("YYYY-MM-DD", ascending) has value v[i]
 * (e.g. accepted so far); the line holds each value until the next day.
 * top (e.g. assigned) is drawn as the dashed ceiling labelled top_label;
 * due, if not NULL and within the days shown or after them, as a dashed
 * vertical line labelled due_label. */
view_node *chart_steps(view_node *parent, const char *id, const char *title, const char *const *day,
                       const long long *v, size_t n, long long top, const char *top_label,
                       const char *due, const char *due_label);

/* A number as a chart writes it: finite with one decimal ("3.5"), whole
 * numbers without (".0" dropped), anything else "0". Into buf (len ≥ 32). */
void chart_num(double v, char *buf, size_t len);

#endif
