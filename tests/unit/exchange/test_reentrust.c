/* test_chain.c — tiers, weakest links and cycles of re-entrustment graphs
 * of every shape: a line, a diamond, a cycle, unreachable nodes, a region
 * computed against fixed nodes outside it, and a 10,000-deep line (the
 * iterative algorithms must not recurse). */
#include "../testutil.h"

#include "exchange/reentrust.h"

/* a node with its total and mean level (thousandths) */
static int add2(chain_graph *g, const char *id, long long total, long long mean)
{
	int i = chain_node_add(g, id);
	assert_true(i > 0);
	chain_node_at(g, i)->own_total = total;
	chain_node_at(g, i)->own_mean = mean;
	return i;
}

/* a node whose mean orders like its total (the shapes below) */
static int add(chain_graph *g, const char *id, long long total)
{
	return add2(g, id, total, total);
}

static void edge(chain_graph *g, int p, int c)
{
	assert_int_equal(chain_edge_add(g, p, c), CHAIN_OK);
}

static chain_node *node(chain_graph *g, const char *id)
{
	int i = chain_find(g, id);
	assert_true(i >= 0);
	return chain_node_at(g, i);
}

static void str_eq(const char *got, const char *want)
{
	if (want == NULL)
		assert_null(got);
	else
		assert_string_equal(got, want);
}

static void shapes(void **state)
{
	chain_graph *g = chain_new();
	(void)state;
	assert_non_null(g);
	/* root -> A -> B -> C -> B (cycle B-C); A -> D; root -> E -> D (diamond);
	 * D -> F; X -> Y with X not reachable */
	int a = add(g, "A", 90), b = add(g, "B", 50), c = add(g, "C", 70), d = add(g, "D", -1),
	    e = add(g, "E", 40), f = add(g, "F", 100), x = add(g, "X", 10), y = add(g, "Y", 20);
	edge(g, 0, a);
	edge(g, a, b);
	edge(g, b, c);
	edge(g, c, b);
	edge(g, a, d);
	edge(g, 0, e);
	edge(g, e, d);
	edge(g, d, f);
	edge(g, x, y);
	assert_int_equal(chain_compute(g), CHAIN_OK);

	assert_int_equal(node(g, "A")->tier, 1);
	str_eq(node(g, "A")->best_parent, NULL);
	str_eq(node(g, "A")->weakest, "A");
	assert_int_equal(node(g, "B")->tier, 2);
	str_eq(node(g, "B")->weakest, "B");
	assert_int_equal(node(g, "C")->tier, 3);
	str_eq(node(g, "C")->weakest, "B"); /* B (50) is below C (70) on A-B-C */
	assert_int_equal(node(g, "C")->weakest_total, 50);
	/* D has two parents one tier up: the worse path goes through E (40) */
	assert_int_equal(node(g, "D")->tier, 2);
	str_eq(node(g, "D")->best_parent, "E");
	str_eq(node(g, "D")->weakest, "E");
	assert_int_equal(node(g, "D")->weakest_total, 40);
	assert_int_equal(node(g, "F")->tier, 3);
	str_eq(node(g, "F")->weakest, "E");
	/* the cycle B <-> C is flagged on both, named by its smallest id */
	str_eq(node(g, "B")->cycle, "B");
	str_eq(node(g, "C")->cycle, "B");
	str_eq(node(g, "A")->cycle, NULL);
	/* not reachable from the entrusting company */
	assert_int_equal(node(g, "X")->tier, -1);
	assert_int_equal(node(g, "Y")->tier, -1);
	str_eq(node(g, "Y")->weakest, "Y");
	chain_free(g);
}

static void region_against_fixed_nodes(void **state)
{
	chain_graph *g = chain_new();
	(void)state;
	/* P is outside the region at tier 3 with weakest W (30); the region
	 * is P's children Q (60) and R (20), and S below both */
	int p = chain_node_add(g, "P");
	assert_int_equal(chain_set_fixed(g, p, 3, "W", 30, 30), CHAIN_OK);
	int q = add(g, "Q", 60), r = add(g, "R", 20), s = add(g, "S", -1);
	edge(g, p, q);
	edge(g, p, r);
	edge(g, q, s);
	edge(g, r, s);
	assert_int_equal(chain_compute(g), CHAIN_OK);
	assert_int_equal(node(g, "Q")->tier, 4);
	str_eq(node(g, "Q")->weakest, "W");
	str_eq(node(g, "R")->weakest, "R");
	assert_int_equal(node(g, "S")->tier, 5);
	str_eq(node(g, "S")->best_parent, "R");
	assert_int_equal(node(g, "S")->weakest_total, 20);
	/* fixed nodes keep their inputs */
	assert_int_equal(node(g, "P")->tier, 3);
	str_eq(node(g, "P")->weakest, "W");
	chain_free(g);
}

/* Issue 16's example: a low-IT vendor (15 items, 5 everywhere: total 75,
 * mean 75 / 15 = 5.000) and a full vendor (27 items, 3 everywhere: total
 * 81, mean 81 / 27 = 3.000). By totals the low-IT one (75 < 81) would be
 * the weakest link; by means it is the full one (3.000 < 5.000). */
static void means_not_totals(void **state)
{
	chain_graph *g = chain_new();
	(void)state;
	/* root -> L, root -> F, both declare S (no answer yet); F -> L2 -> T
	 * where L2 is low-IT at 5 again */
	int l = add2(g, "L", 75, 5000), f = add2(g, "F", 81, 3000), s = add2(g, "S", -1, -1),
	    l2 = add2(g, "L2", 75, 5000), t = add2(g, "T", -1, -1);
	edge(g, 0, l);
	edge(g, 0, f);
	edge(g, l, s);
	edge(g, f, s);
	edge(g, f, l2);
	edge(g, l2, t);
	assert_int_equal(chain_compute(g), CHAIN_OK);
	/* S's worse parent is F (3.000), although F's total is the higher */
	str_eq(node(g, "S")->best_parent, "F");
	str_eq(node(g, "S")->weakest, "F");
	assert_int_equal(node(g, "S")->weakest_mean, 3000);
	assert_int_equal(node(g, "S")->weakest_total, 81);
	/* below F, the low-IT L2 (75) does not take the weakest link from F */
	str_eq(node(g, "L2")->weakest, "F");
	str_eq(node(g, "T")->weakest, "F");
	assert_int_equal(node(g, "T")->weakest_total, 81);
	/* L alone on its path is its own weakest link */
	str_eq(node(g, "L")->weakest, "L");
	assert_int_equal(node(g, "L")->weakest_mean, 5000);
	chain_free(g);
}

static void deep_line_and_big_cycle(void **state)
{
	enum { N = 10000 };
	chain_graph *g = chain_new();
	char id[16];
	int prev = 0, first = -1, last = -1;
	(void)state;
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "n%05d", i);
		int k = add(g, id, 1000 - (i % 1000));
		edge(g, prev, k);
		if (first < 0)
			first = k;
		prev = last = k;
	}
	edge(g, last, first); /* the whole line is one cycle */
	assert_int_equal(chain_compute(g), CHAIN_OK);
	assert_int_equal(node(g, "n09999")->tier, N);
	assert_int_equal(node(g, "n09999")->weakest_total, 1);
	str_eq(node(g, "n09999")->cycle, "n00000");
	str_eq(node(g, "n04242")->cycle, "n00000");
	assert_int_equal(chain_count(g), N + 1);
	assert_int_equal(chain_edge_add(g, 0, N + 5), CHAIN_ERR_ARG);
	chain_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(shapes),
	        cmocka_unit_test(region_against_fixed_nodes),
	        cmocka_unit_test(means_not_totals),
	        cmocka_unit_test(deep_line_and_big_cycle),
	};
	return cmocka_run_group_tests_name("chain", tests, NULL, NULL);
}
