/* test_budget.c — the memory request bodies hold: in all, per holder. */
#include "../../testutil.h"

#include "core/http/budget.h"

static void bounds(void **state)
{
	budget *b = budget_new(1000, 250, 4);
	(void)state;
	assert_non_null(b);
	assert_true(budget_take(b, "org-a", 200));
	assert_false(budget_take(b, "org-a", 51)); /* past its quarter */
	assert_true(budget_take(b, "org-a", 50));
	assert_true(budget_take(b, "org-b", 250));
	assert_true(budget_take(b, "org-c", 250));
	assert_true(budget_take(b, "org-d", 200));
	assert_false(budget_take(b, "org-e", 10)); /* no holder slot left */
	assert_false(budget_take(b, "org-d", 60)); /* past the total (950 + 60) */
	assert_int_equal(budget_used(b), 950);
	budget_give(b, "org-a", 250); /* org-a's slot is free again */
	assert_true(budget_take(b, "org-e", 10));
	budget_give(b, "nobody", 100); /* giving back what was never taken: no effect */
	assert_int_equal(budget_used(b), 710);
	assert_true(budget_take(b, "org-e", 0));
	budget_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(bounds),
	};
	return cmocka_run_group_tests_name("budget", tests, NULL, NULL);
}
