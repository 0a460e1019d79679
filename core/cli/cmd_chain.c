/* cmd_chain.c — `itaku chain show|approve|invite`: the re-entrustment
 * graph of a campaign drawn as a tree in the terminal (a node reached a
 * second time is named, not expanded again; a node already on the path is
 * a cycle), approvals and invitations from the server host. */
#include "core/audit.h"
#include "core/chains.h"
#include "core/cli/cli.h"
#include "core/enrol.h"
#include "core/mail.h"
#include "forms/number.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                     {"campaign", required_argument, NULL, 'C'},
                                     {"parent", required_argument, NULL, 'p'},
                                     {"child", required_argument, NULL, 'k'},
                                     {"org", required_argument, NULL, 'o'},
                                     {"variant", required_argument, NULL, 'v'},
                                     {"days", required_argument, NULL, 'd'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"email", required_argument, NULL, 'e'},
                                     {"name", required_argument, NULL, 'n'},
                                     {"lang", required_argument, NULL, 'l'},
                                     {"org-name", required_argument, NULL, 'N'},
                                     {NULL, 0, NULL, 0}};

typedef struct args {
	const char *config, *parent, *child, *org, *variant;
	const char *org_name;            /* invite: a direct vendor's name */
	const char *email, *name, *lang; /* invite: whom the invitation is mailed to */
	long long campaign;
	int days, json;
} args;

static int parse(int argc, char **argv, args *a)
{
	int c;
	memset(a, 0, sizeof(*a));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': a->config = optarg; break;
		case 'C':
			if (num_parse(optarg, 1, LLONG_MAX, &a->campaign) != 0)
				return 0;
			break;
		case 'p': a->parent = optarg; break;
		case 'k': a->child = optarg; break;
		case 'o': a->org = optarg; break;
		case 'v': a->variant = optarg; break;
		case 'd':
			if ((a->days = enrol_days_parse(optarg)) == 0)
				return 0;
			break;
		case 'j': a->json = 1; break;
		case 'e': a->email = optarg; break;
		case 'n': a->name = optarg; break;
		case 'l': a->lang = optarg; break;
		case 'N': a->org_name = optarg; break;
		default: return 0;
		}
	}
	/* a name or language without an address is a mistake, not a default */
	return optind == argc && a->campaign > 0 &&
	       (a->email != NULL || (a->name == NULL && a->lang == NULL));
}

/* A refused invitation in the audit log, as the API's are. */
static void audit_refused_invite(db_conn *db, long long campaign, const char *code,
                                 const char *detail)
{
	char object[64];
	snprintf(object, sizeof(object), "campaign/%lld", campaign);
	audit_event ev = {"cli", "invitation.create", object, "rejected", code, detail};
	if (audit_append(db, &ev) != DB_OK)
		fprintf(stderr, "itaku chain invite: the refusal could not be audited\n");
}

/* ---- drawing ---- */

typedef struct tree {
	json_t *nodes;  /* id -> node */
	json_t *kids;   /* id -> [child ids] */
	json_t *shown;  /* id -> true once expanded */
	json_t *onpath; /* id -> true while on the current path */
} tree;

static void print_node(json_t *n, const char *prefix, const char *edge_note)
{
	json_t *score = json_object_get(n, "score");
	printf("%s%s  %s  [%s]", prefix, json_string_value(json_object_get(n, "id")),
	       json_string_value(json_object_get(n, "name")),
	       json_string_value(json_object_get(n, "status")));
	if (json_is_object(score))
		printf(" total %lld",
		       (long long)json_integer_value(json_object_get(score, "total")));
	if (json_is_object(score))
		printf(" mean %.2f", json_number_value(json_object_get(score, "mean")));
	if (json_is_object(json_object_get(n, "weakest"))) {
		json_t *w = json_object_get(n, "weakest");
		/* paths are compared by mean level; the total is shown beside it */
		printf(", weakest on path %s (mean %.2f, total %lld)",
		       json_string_value(json_object_get(w, "organisation")),
		       json_number_value(json_object_get(w, "mean")),
		       (long long)json_integer_value(json_object_get(w, "total")));
	}
	if (json_is_true(json_object_get(n, "too_deep")))
		printf("  TOO DEEP");
	printf("%s\n", edge_note);
}

static const char *edge_note(json_t *child, const char *parent)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(child, "parents"), i, p)
	{
		if (strcmp(json_string_value(json_object_get(p, "parent")), parent) != 0)
			continue;
		const char *state =
		        json_string_value(json_object_get(json_object_get(p, "approval"), "state"));
		if (state != NULL && strcmp(state, "unapproved") == 0)
			return "  UNAPPROVED (passes on protected data)";
		if (state != NULL && strcmp(state, "approved") == 0)
			return "  approved";
	}
	return "";
}

/* One node on a line after indent and its branch, then its children one
 * level deeper. */
static void draw(tree *t, const char *id, const char *parent, const char *indent,
                 const char *branch)
{
	json_t *n = json_object_get(t->nodes, id), *kids = json_object_get(t->kids, id), *k;
	char line[512], deeper[512];
	size_t i, count = json_array_size(kids);

	snprintf(line, sizeof(line), "%s%s", indent, branch);
	if (json_object_get(t->onpath, id) != NULL) {
		printf("%s%s  ↺ CYCLE: back to a node above%s\n", line, id, edge_note(n, parent));
		return;
	}
	if (json_object_get(t->shown, id) != NULL) {
		printf("%s%s  (also declared elsewhere: shown above)%s\n", line, id,
		       edge_note(n, parent));
		return;
	}
	print_node(n, line, parent[0] ? edge_note(n, parent) : "");
	json_object_set_new(t->shown, id, json_true());
	json_object_set_new(t->onpath, id, json_true());
	snprintf(deeper, sizeof(deeper), "%s%s", indent,
	         strcmp(branch, "├─ ") == 0 ? "│  "
	         : branch[0]                ? "   "
	                                    : "");
	json_array_foreach(kids, i, k)
	{
		draw(t, json_string_value(k), id, deeper, i + 1 < count ? "├─ " : "└─ ");
	}
	json_object_del(t->onpath, id);
}

/* The nodes no path from the entrusting company reaches (declared by an
 * organisation that is itself not in the chain): the summary counts them,
 * so the tree shows them too, each under the first of them that declares
 * it. */
static void draw_unreachable(tree *t, json_t *nodes)
{
	size_t i;
	json_t *n;
	int header = 0;
	json_array_foreach(nodes, i, n)
	{
		const char *id = json_string_value(json_object_get(n, "id"));
		if (json_object_get(t->shown, id) != NULL)
			continue;
		if (!header) {
			printf("not reachable from the entrusting company "
			       "(到達できない再委託先)\n");
			header = 1;
		}
		draw(t, id, "", "", "?─ ");
	}
}

static void print_summary(json_t *a)
{
	json_t *s = json_object_get(a, "summary"), *c;
	const char *key;
	json_t *v;
	size_t i;
	printf("Campaign %lld  %s: %lld organisations; per tier:",
	       (long long)json_integer_value(json_object_get(json_object_get(a, "campaign"), "id")),
	       json_string_value(json_object_get(json_object_get(a, "campaign"), "name")),
	       (long long)json_integer_value(json_object_get(s, "nodes")));
	json_object_foreach(json_object_get(s, "tiers"), key, v)
	{
		printf(" %s:%lld", key, (long long)json_integer_value(v));
	}
	printf("\n  unanswered %lld, overdue %lld, pending %lld, invited %lld, unapproved %lld, "
	       "cycles %lld, too deep %lld, unreachable %lld\n",
	       (long long)json_integer_value(json_object_get(s, "unanswered")),
	       (long long)json_integer_value(json_object_get(s, "overdue")),
	       (long long)json_integer_value(json_object_get(s, "pending")),
	       (long long)json_integer_value(json_object_get(s, "invited")),
	       (long long)json_integer_value(json_object_get(s, "unapproved")),
	       (long long)json_integer_value(json_object_get(s, "cycles")),
	       (long long)json_integer_value(json_object_get(s, "too_deep")),
	       (long long)json_integer_value(json_object_get(s, "unreachable")));
	json_array_foreach(json_object_get(s, "cycle_list"), i, c)
	{
		char *members = json_dumps(json_object_get(c, "organisations"), JSON_COMPACT);
		printf("  cycle: %s\n", members ? members : "?");
		free(members);
	}
}

static int show(const args *a, db_conn *db, const itaku_config *cfg)
{
	chains_opts o;
	json_t *g = NULL, *n;
	tree t = {json_object(), json_object(), json_object(), json_object()};
	size_t i, j;
	int rc = CLI_FAIL;

	chains_opts_default(&o);
	o.limit = 100000;
	o.max_depth = cfg->max_depth;
	if (chains_campaign_json(db, a->campaign, &o, &g) != CHAINS_OK) {
		fprintf(stderr, "itaku chain show: no campaign %lld\n", a->campaign);
		goto out;
	}
	if (a->json) {
		json_dumpf(g, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		printf("\n");
		rc = CLI_OK;
		goto out;
	}
	print_summary(g);
	json_array_foreach(json_object_get(g, "nodes"), i, n)
	{
		const char *id = json_string_value(json_object_get(n, "id"));
		json_t *p;
		json_object_set(t.nodes, id, n);
		json_array_foreach(json_object_get(n, "parents"), j, p)
		{
			const char *pid = json_string_value(json_object_get(p, "parent"));
			json_t *list = json_object_get(t.kids, pid);
			if (list == NULL)
				json_object_set_new(t.kids, pid, list = json_array());
			json_array_append_new(list, json_string(id));
		}
	}
	printf("entrusting company (委託元)\n");
	json_t *top = json_object_get(t.kids, "entrusting_company"), *k;
	json_array_foreach(top, i, k)
	{
		draw(&t, json_string_value(k), "", "",
		     i + 1 < json_array_size(top) ? "├─ " : "└─ ");
	}
	draw_unreachable(&t, json_object_get(g, "nodes"));
	rc = CLI_OK;
out:
	json_decref(g);
	json_decref(t.nodes);
	json_decref(t.kids);
	json_decref(t.shown);
	json_decref(t.onpath);
	return rc;
}

int cmd_chain(int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "";
	itaku_config cfg;
	db_conn *db = NULL;
	char detail[256] = "";
	args a;
	int rc = CLI_FAIL;

	if (!parse(argc - 1, argv + 1, &a) ||
	    (strcmp(sub, "show") != 0 && strcmp(sub, "approve") != 0 &&
	     strcmp(sub, "invite") != 0) ||
	    (strcmp(sub, "approve") == 0 && (a.parent == NULL || a.child == NULL)) ||
	    (strcmp(sub, "invite") == 0 && a.org == NULL)) {
		fprintf(stderr,
		        "usage: itaku chain show --campaign C [--json]\n"
		        "       itaku chain approve --campaign C --parent ORG --child ORG\n"
		        "       itaku chain invite --campaign C --org ORG [--variant V] "
		        "[--days N]\n"
		        "                          [--email ADDR --name NAME [--lang ja|en]]\n"
		        "       (each with [--config FILE])\n");
		return CLI_USAGE;
	}
	if (!cli_open(a.config, &cfg, &db))
		return CLI_FAIL;
	if (strcmp(sub, "show") == 0) {
		rc = show(&a, db, &cfg);
	} else if (strcmp(sub, "approve") == 0) {
		chains_rc crc = chains_approve(db, a.campaign, a.parent, a.child, NULL, "cli",
		                               detail, sizeof(detail));
		if (crc == CHAINS_OK) {
			printf("approved %s -> %s in campaign %lld\n", a.parent, a.child,
			       a.campaign);
			rc = CLI_OK;
		} else {
			fprintf(stderr, "itaku chain approve: %s: %s\n", chains_rc_str(crc),
			        detail);
		}
	} else {
		enrol_invitation inv;
		enrol_mail_to to = {a.name, a.email, a.lang};
		if (a.email != NULL)
			mail_init();
		enrol_ask ask = {a.campaign, a.org, a.org_name, a.variant, "cli", 1, a.days};
		enrol_rc erc = enrol_invite_mail(db, &cfg, &ask, a.email ? &to : NULL, &inv, detail,
		                                 sizeof(detail));
		if (erc == ENROL_OK) {
			printf("invitation %lld for %s, valid until %s\ntoken %s\n", inv.id, a.org,
			       inv.expires_at, inv.token);
			if (inv.mailed > 0)
				printf("mailed to %s\n", a.email);
			/* the invitation stands; the person must pass the token on */
			if (inv.mailed < 0)
				fprintf(stderr, "itaku chain invite: the mail to %s failed: %s\n",
				        a.email, inv.mail_error);
			rc = inv.mailed < 0 ? CLI_FAIL : CLI_OK;
		} else {
			fprintf(stderr, "itaku chain invite: %s: %s%s%s\n", enrol_rc_code(erc),
			        enrol_rc_message(erc), detail[0] ? ": " : "", detail);
			audit_refused_invite(db, a.campaign, enrol_rc_code(erc), detail);
		}
	}
	db_close(db);
	return rc;
}
