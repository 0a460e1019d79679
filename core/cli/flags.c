/* flags.c — what each option of the `itaku` commands means: one entry per
 * long option, so a flag means the same thing in every command that takes
 * it, and `itaku help CMD` prints the same line for it everywhere. The
 * commands keep their own getopt tables; tests/lint/cli_flags.py checks
 * those tables against this one and against the command table's lists.
 * Must not: parse arguments (the commands do). */
#include "core/cli/cli.h"
#include "core/instance.h"

#include <stdio.h>
#include <string.h>

static const cli_flag flags[] = {
        {"answers", "FILE", "the answers.xml to sign"},
        {"below-limit", "N", "also list the organisations whose total is below N"},
        {"ca", "CA.pem", "the CA certificate(s) to verify against"},
        {"campaign", "C", "the campaign's number"},
        {"cert", "FILE", "a certificate (PEM): the signer's, or the one to bind"},
        {"chain", "PEM", "intermediate certificates to put into the signature"},
        {"child", "ORG", "the subcontractor's organisation id (13 digits)"},
        {"config", "FILE", "the instance's itaku.conf (else $ITAKU_CONFIG, else ./itaku.conf)"},
        {"csr", "FILE", "the organisation's certificate request (PEM): its key stays with it"},
        {"crl", "CRL.pem", "a certificate revocation list to check the signer against"},
        {"csv", NULL, "write CSV"},
        {"days", "N", "how many days what is issued stays valid"},
        {"demo", NULL,
         "add demo organisations, certificates, a campaign (" INSTANCE_DEMO_QUESTIONNAIRE
         ") and answers"},
        {"demo-questionnaire", "ID@VERSION",
         "as --demo, with the campaign on that shipped questionnaire version"},
        {"dry-run", NULL, "say what would be done, change nothing"},
        {"due", "YYYY-MM-DD", "the due date"},
        {"email", "ADDR", "a mail address: the contact's, or where an invitation is mailed"},
        {"evidence", "FILE", "an evidence file to sign with the answers (repeatable)"},
        {"expect-head", "SEQ:HASH",
         "a head `itaku audit verify` printed before (or a receipt's HASH): it must still be "
         "in the log"},
        {"fingerprint", "FP",
         "a certificate's SHA-256 fingerprint (64 hex, as itaku cert list shows)"},
        {"force", NULL, "do it although the due date is already past"},
        {"from", "FILE", "the archive (or an older database backup) to restore from"},
        {"group", "G", "a group of organisations within the campaign (GI, GII…; - for none)"},
        {"id", "ID",
         "the id of what is added or removed (an organisation's 13 digits, "
         "a contact's number)"},
        {"item", "ID", "a questionnaire item (1.1)"},
        {"json", NULL, "write JSON"},
        {"key", "KEY", "the signer's private key (PEM)"},
        {"key-type", "ec|rsa", "the kind of key to make (default ec: P-256)"},
        {"level", "1-5|default",
         "a desirable level, or default for the one it inherits (campaign, definition)"},
        {"lang", "ja|en", "the language a contact (or an invited one) reads mails in"},
        {"name", "NAME", "the name of what is created"},
        {"no-check", NULL, "do not check the answers against a questionnaire"},
        {"now", "TIME", "act as if it were TIME (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)"},
        {"org", "ORG", "the organisation's id (13 digits)"},
        {"org-name", "NAME",
         "the invited organisation's name, for a vendor of your own that nobody declares"},
        {"out", "DIR", "the directory to write the new key and certificate into"},
        {"output", "FILE",
         "the file to write (-o FILE in itaku pack; the certificate in itaku cert)"},
        {"p12", NULL, "also write client.p12 (PKCS#12) for a browser, under a passphrase"},
        {"package", "PKG", "the answer package (.asice)"},
        {"parent", "ORG", "the contractor's organisation id (13 digits)"},
        {"passphrase-file", "FILE",
         "read the .p12 passphrase from FILE's first line (else a prompt)"},
        {"postgresql", "URI", "the PostgreSQL database of a new instance (libpq URI)"},
        {"questionnaire", "ID@VERSION", "the questionnaire (itaku pack: its definition file)"},
        {"receipt", "TSR", "the receipt (RFC 3161 time-stamp token)"},
        {"role", "admin|respondent", "what the organisation is (default respondent)"},
        {"section", "ID", "a questionnaire section (1)"},
        {"to", "FILE|URI",
         "where to: the archive to write (backup), the PostgreSQL database (libpq URI) to copy "
         "into (migrate)"},
        {"today", "YYYY-MM-DD", "count days left as of this date"},
        {"user", "ACCOUNT", "the account itakud serves as"},
        {"variant", "V", "the questionnaire's variant"},
        {"vendor-invites", NULL, "let vendors invite their own subcontractors"},
};

const cli_flag *cli_flag_find(const char *name)
{
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strcmp(flags[i].name, name) == 0)
			return &flags[i];
	return NULL;
}

void cli_flag_print(FILE *f, const char *names)
{
	char name[32];
	const char *p = names;
	while (*p != '\0') {
		size_t n = strcspn(p, " ");
		const cli_flag *fl;
		char left[64];
		if (n > 0 && n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = '\0';
			fl = cli_flag_find(name);
			snprintf(left, sizeof(left), "--%s%s%s", name, fl && fl->arg ? " " : "",
			         fl && fl->arg ? fl->arg : "");
			fprintf(f, "  %-32s %s\n", left, fl ? fl->meaning : "(undocumented)");
		}
		p += n;
		p += strspn(p, " ");
	}
}
