/* orgid.h — organisation identifiers: the Japanese Corporate Number
 * (法人番号, 13 digits, leading check digit) or, for organisations without
 * one, an internal id. */
#ifndef ITAKU_FORMS_ORGID_H
#define ITAKU_FORMS_ORGID_H

typedef enum {
	ORGID_OK = 0,
	ORGID_ERR_EMPTY,
	ORGID_ERR_CHECK_DIGIT, /* 13 digits whose check digit is wrong */
	ORGID_ERR_SYNTAX,      /* neither a Corporate Number nor an internal id */
} orgid_rc;

/* A Corporate Number: exactly 13 ASCII digits with a valid check digit. */
int orgid_is_corporate_number(const char *s);

/* The check digit for a 12-digit base number, or -1 if base is not 12 digits. */
int orgid_check_digit(const char *base12);

/* Accepts a valid Corporate Number, or an internal id: 2-32 characters of
 * [a-z0-9-], starting with a letter. A 13-digit string must be a valid
 * Corporate Number. */
orgid_rc orgid_check(const char *s);

const char *orgid_rc_str(orgid_rc rc);

#endif
