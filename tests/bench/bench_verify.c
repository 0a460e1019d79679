/* bench_verify.c — in-process time of pkg_verify() on one package:
 * runs it N times and prints min, median and p99 in milliseconds. */
#include "exchange/package.h"
#include "forms/number.h"
#include "forms/xmldoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	cert_trust *trust = NULL;
	pkg_limits l;
	char detail[512];
	long long runs = 200;
	if (argc < 3 || (argc > 3 && num_parse(argv[3], 1, 1000000, &runs) != 0)) {
		fprintf(stderr, "usage: bench_verify PKG CA [N]\n");
		return 2;
	}
	int n = (int)runs;
	xmldoc_init();
	pkg_limits_default(&l);
	FILE *f = fopen(argv[1], "rb");
	unsigned char *buf = malloc(l.max_bytes);
	size_t len = f ? fread(buf, 1, l.max_bytes, f) : 0;
	if (f)
		fclose(f);
	if (len == 0 || cert_trust_load(argv[2], NULL, &trust) != CERT_OK) {
		fprintf(stderr, "cannot read package or CA\n");
		return 1;
	}
	double *ms = calloc((size_t)n, sizeof(double));
	for (int i = 0; i < n; i++) {
		struct timespec a, b;
		pkg *p = NULL;
		clock_gettime(CLOCK_MONOTONIC, &a);
		pkg_rc rc = pkg_verify(buf, len, &l, trust, &p, detail, sizeof(detail));
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (rc != PKG_OK) {
			fprintf(stderr, "verify failed: %s: %s\n", pkg_rc_code(rc), detail);
			return 1;
		}
		pkg_free(p);
		ms[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	}
	qsort(ms, (size_t)n, sizeof(double), cmp);
	printf("pkg_verify  %zu bytes  runs %d  min %.2f ms  median %.2f ms  p99 %.2f ms\n", len, n,
	       ms[0], ms[n / 2], ms[(int)((n - 1) * 0.99)]);
	free(ms);
	free(buf);
	cert_trust_free(trust);
	return 0;
}
