-- 4: campaigns pin one questionnaire version; assignments carry a nonce
CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  questionnaire TEXT NOT NULL,
  questionnaire_version TEXT NOT NULL,
  due TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  created_at TEXT NOT NULL,
  FOREIGN KEY (questionnaire, questionnaire_version)
    REFERENCES questionnaires(id, version));
CREATE TABLE assignments (
  id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  org_id TEXT NOT NULL REFERENCES organisations(id),
  variant TEXT NOT NULL,
  nonce TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  UNIQUE (campaign_id, org_id));
