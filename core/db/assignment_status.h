/* assignment_status.h — the status of an assignment, written once: the SQL
 * pieces every store query that shows a status or the last refusal splices
 * (assignments.c, aggregate.c, reminders.c). Private to core/db/: nothing
 * outside it includes this file. Must not hold anything but these macros.
 *
 * All pieces are SQL over assignments a JOIN campaigns c. */
#ifndef ITAKU_CORE_DB_ASSIGNMENT_STATUS_H
#define ITAKU_CORE_DB_ASSIGNMENT_STATUS_H

/* The refusals of assignment a, as a condition on assignment_refusals l
 * (core/db/refusals.h): the last refused upload of each assignment is
 * recorded as data when it is refused, not read back out of audit text.
 * The one place that says where a refusal is read from. */
#define ASG_REFUSAL_WHERE " l.assignment_id = a.id"

/* The latest refused upload of assignment a as row r with columns r.at
 * and r.code (NULL when there is none). */
#define ASG_LAST_REFUSAL_JOIN " LEFT JOIN assignment_refusals r ON r.assignment_id = a.id"

/* The status of assignment a as of the date today (an SQL expression):
 * accepted (a version was accepted), overdue (nothing accepted and the due
 * date passed; decided by date, so it needs no job to keep it current),
 * submitted (packages arrived but were refused), not_started. Refusals are
 * read only for assignments that are neither accepted nor overdue. */
#define ASG_STATUS_SQL(today)                                                           \
	"CASE WHEN a.latest_submission_id IS NOT NULL THEN 'accepted'"                  \
	" WHEN c.due < " today " THEN 'overdue'"                                        \
	" WHEN EXISTS (SELECT 1 FROM assignment_refusals l WHERE" ASG_REFUSAL_WHERE ")" \
	" THEN 'submitted'"                                                             \
	" ELSE 'not_started' END"

#endif
