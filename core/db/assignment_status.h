/* assignment_status.h — the status of an assignment, written once: the SQL
 * pieces every store query that shows a status or the last refusal splices
 * (assignments.c, aggregate.c, reminders.c). Private to core/db/: nothing
 * outside it includes this file. Must not hold anything but these macros.
 *
 * All pieces are SQL over assignments a JOIN campaigns c. */
#ifndef ITAKU_CORE_DB_ASSIGNMENT_STATUS_H
#define ITAKU_CORE_DB_ASSIGNMENT_STATUS_H

/* The refusals of assignment a, as a condition on audit_log l: refused
 * uploads are audited with object "POST /api/v1/submissions campaign/<id>
 * sha256:<hex>" once the answers named the campaign (an index range on
 * audit_log.object). The one place that says where a refusal is read
 * from. */
#define ASG_REFUSAL_WHERE                                                      \
	" l.object > 'POST /api/v1/submissions campaign/' || c.id || ' '"      \
	" AND l.object < 'POST /api/v1/submissions campaign/' || c.id || ' ~'" \
	" AND l.actor = a.org_id AND l.outcome = 'rejected'"

/* The latest refused upload of assignment a as row r with columns r.at
 * and r.code (NULL when there is none). */
#define ASG_LAST_REFUSAL_JOIN                                                  \
	" LEFT JOIN audit_log r ON r.seq = (SELECT max(seq) FROM audit_log l " \
	"WHERE" ASG_REFUSAL_WHERE ")"

/* The status of assignment a as of the date today (an SQL expression):
 * accepted (a version was accepted), overdue (nothing accepted and the due
 * date passed; decided by date, so it needs no job to keep it current),
 * submitted (packages arrived but were refused), not_started. Refusals are
 * read only for assignments that are neither accepted nor overdue. */
#define ASG_STATUS_SQL(today)                                                                  \
	"CASE WHEN a.latest_submission_id IS NOT NULL THEN 'accepted'"                         \
	" WHEN c.due < " today " THEN 'overdue'"                                               \
	" WHEN EXISTS (SELECT 1 FROM audit_log l WHERE" ASG_REFUSAL_WHERE ") THEN 'submitted'" \
	" ELSE 'not_started' END"

#endif
