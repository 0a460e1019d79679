/* api.h — the JSON API's handlers, one file per resource; routes.c binds
 * them to paths. */
#ifndef ITAKU_CORE_API_H
#define ITAKU_CORE_API_H

#include "http.h"

void api_health(const http_req *req, http_res *res);
void api_whoami(const http_req *req, http_res *res);
void api_submission_create(const http_req *req, http_res *res);
void api_submission_get(const http_req *req, http_res *res);
void api_submission_receipt(const http_req *req, http_res *res);
void api_assignments_mine(const http_req *req, http_res *res);

#endif
