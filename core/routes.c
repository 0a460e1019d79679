/* routes.c — the route table: every URL itakud answers, who may call it,
 * and whether it reads a body. */
#include "api.h"
#include "router.h"

const route routes[] = {
        {"GET", "/healthz", AUTH_NONE, 0, api_health},
        {"GET", "/api/v1/whoami", AUTH_ANY, 0, api_whoami},
        {"GET", "/api/v1/assignments", AUTH_ANY, 0, api_assignments_mine},
        {"POST", "/api/v1/submissions", AUTH_ANY, 1, api_submission_create},
        {"GET", "/api/v1/submissions/{id}", AUTH_ANY, 0, api_submission_get},
        {"GET", "/api/v1/submissions/{id}/receipt", AUTH_ANY, 0, api_submission_receipt},
};

const size_t routes_count = sizeof(routes) / sizeof(routes[0]);
