// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// The rule set's own small corpus of realistic documents: files people
// paste and tools print, with secrets in ⟦slot⟧s filled at run time, and
// look-alike documents that hold none. Every secret must go and every
// decoy document must come back unchanged, raw and inside JSON API
// bodies. (corpus_test.go scores the engine on a larger, independent
// corpus.)

// rcSlotGens fill ⟦name⟧ slots with a fresh value.
var rcSlotGens = map[string]func(r *rand.Rand) string{
	"pw":        password,
	"urlpw":     urlPassword,
	"alnum32":   func(r *rand.Rand) string { return mixed(r, csAlnum, 32) },
	"alnum48":   func(r *rand.Rand) string { return mixed(r, csAlnum, 48) },
	"hex32":     func(r *rand.Rand) string { return rs(r, csHex, 32) },
	"hex40":     func(r *rand.Rand) string { return rs(r, csHex, 40) },
	"hex128":    func(r *rand.Rand) string { return rs(r, csHex, 128) },
	"b64-32":    func(r *rand.Rand) string { return b64(r, 32) },
	"awssecret": func(r *rand.Rand) string { return mixed(r, csB64, 40) },
	"wpkey":     func(r *rand.Rand) string { return rs(r, csAlnum+"!#%*-_.~^@[]+=|:;<>?,", 64) },
	"basic":     basicCreds,
	"jwt":       jwtToken,
	"pem":       func(r *rand.Rand) string { return fakePEM(r, "RSA PRIVATE KEY", 1190, "") },
	"pem-b64": func(r *rand.Rand) string {
		return base64.StdEncoding.EncodeToString([]byte(fakePEM(r, "EC PRIVATE KEY", 121, "") + "\n"))
	},
}

// rcSlot fills one slot: a generator of rcSlotGens, or a sample
// generator's token (a bare token whole, a sample in context its secret).
func rcSlot(r *rand.Rand, name string) string {
	if g, ok := rcSlotGens[name]; ok {
		return g(r)
	}
	if g, ok := sampleGens[name]; ok {
		s := g(r)
		if strings.HasSuffix(s.text, s.secrets[0]) && !strings.ContainsAny(s.text, " \n=") {
			return s.text
		}
		return s.secrets[0]
	}
	panic("no slot generator " + name)
}

var rcSlotRE = regexp.MustCompile(`⟦([a-z0-9-]+)⟧`)

// rcFill fills a document's slots and returns it with the values it holds.
func rcFill(r *rand.Rand, doc string) (string, []string) {
	var secrets []string
	out := rcSlotRE.ReplaceAllStringFunc(doc, func(m string) string {
		v := rcSlot(r, rcSlotRE.FindStringSubmatch(m)[1])
		secrets = append(secrets, v)
		return v
	})
	return out, secrets
}

var rcSecretDocs = []string{
	// .env
	`# production
NODE_ENV=production
PORT=3000
DATABASE_URL=postgres://app:⟦urlpw⟧@db.internal:5432/app
REDIS_URL=redis://:⟦urlpw⟧@redis:6379/0
JWT_SECRET=⟦alnum48⟧
SESSION_SECRET="⟦alnum32⟧"
STRIPE_SECRET_KEY=⟦stripe-secret-key⟧
OPENAI_API_KEY=⟦openai-project-key⟧
SMTP_PASSWORD=⟦pw⟧
AWS_ACCESS_KEY_ID=⟦aws-access-key-id⟧
AWS_SECRET_ACCESS_KEY=⟦awssecret⟧
SENTRY_DSN=https://⟦hex32⟧@o4505.ingest.sentry.io/4506
LOG_LEVEL=info
`,
	// docker-compose
	`services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: ⟦pw⟧
  cache:
    image: redis:7
    command: ["redis-server", "--requirepass", "⟦alnum32⟧"]
  api:
    build: .
    environment:
      - MYSQL_ROOT_PASSWORD=⟦pw⟧
      - GITHUB_TOKEN=⟦github-pat⟧
`,
	// Kubernetes
	`apiVersion: v1
kind: Secret
metadata:
  name: app-secrets
type: Opaque
data:
  db-password: ⟦b64-32⟧
  api-token: ⟦b64-32⟧
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: app-secrets
                  key: db-password
            - name: ADMIN_PASSWORD
              value: "⟦pw⟧"
`,
	// Terraform
	`provider "aws" {
  region     = "us-east-1"
  access_key = "⟦aws-access-key-id⟧"
  secret_key = "⟦awssecret⟧"
}

resource "aws_db_instance" "main" {
  engine   = "postgres"
  username = "admin"
  password = "⟦pw⟧"
}

variable "api_token" {
  type    = string
  default = "⟦alnum48⟧"
}
`,
	// GitHub Actions with one hard-coded token
	`name: release
on: push
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}
          SLACK_BOT_TOKEN: ⟦slack-bot-token⟧
`,
	// Python
	`import anthropic
import openai

openai.api_key = "⟦openai-project-key⟧"
client = anthropic.Anthropic(api_key="⟦anthropic-api-key⟧")
HF_TOKEN = "⟦huggingface-token⟧"

def fetch(url, token):
    return requests.get(url, headers={"Authorization": f"Bearer {token}"})
`,
	// shell session
	`$ export GITHUB_TOKEN=⟦github-pat⟧
$ curl -s -H "Authorization: token ⟦github-pat⟧" https://api.github.com/user | jq .login
"octocat"
$ git remote -v
origin	https://⟦github-pat⟧@github.com/acme/api.git (fetch)
$ mysql -h 10.0.0.7 -u root -p⟦pw⟧ -e 'show databases'
`,
	// logs
	`2026-05-01T12:00:00.123Z INFO  http request_id=4b8f8e52-8d3c-4e6b-9a11-2f0c6f6a1d2e method=GET path=/v1/items status=200
2026-05-01T12:00:01.456Z DEBUG upstream headers: Authorization: Bearer ⟦jwt⟧
2026-05-01T12:00:02.789Z WARN  retrying with api_key=⟦hex32⟧ after 429
2026-05-01T12:00:03.000Z ERROR connect failed: mongodb://admin:⟦urlpw⟧@mongo-0.mongo:27017/?authSource=admin
`,
	// chat prompt
	"Hey, my Slack bot stopped posting. Here is the config:\n\n```yaml\nslack:\n  bot_token: ⟦slack-bot-token⟧\n  webhook: https://hooks.slack.com/services/⟦slack-webhook-url⟧\n```\n\nand the Anthropic key is ⟦anthropic-api-key⟧ if that matters.",
	// JSON config
	`{
  "database": {"host": "db.internal", "port": 5432, "user": "app", "password": "⟦pw⟧"},
  "stripe": {"secretKey": "⟦stripe-secret-key⟧", "publishableKey": "pk_test_placeholder"},
  "sendgrid": {"apiKey": "⟦sendgrid-api-key⟧"},
  "features": {"beta": true}
}`,
	// credential files
	"//registry.npmjs.org/:_authToken=⟦npm-access-token⟧\n@acme:registry=https://npm.pkg.github.com\n",
	"machine api.heroku.com\n  login ops@acme.dev\n  password ⟦heroku-api-key⟧\nmachine git.heroku.com\n  login ops@acme.dev\n  password ⟦heroku-api-key⟧\n",
	"[default]\naws_access_key_id = ⟦aws-access-key-id⟧\naws_secret_access_key = ⟦awssecret⟧\n\n[prod]\naws_access_key_id = ⟦aws-access-key-id⟧\naws_secret_access_key = ⟦awssecret⟧\n",
	`{"auths": {"ghcr.io": {"auth": "⟦basic⟧"}, "registry.gitlab.com": {"auth": "⟦basic⟧"}}}`,
	"⟦pem⟧\n",
	`apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=
    server: https://10.0.0.1:6443
  name: prod
users:
- name: admin
  user:
    client-key-data: ⟦pem-b64⟧
    token: ⟦jwt⟧
`,
	// Java, PHP, Go, Ruby, Django, Ansible
	"spring.datasource.url=jdbc:postgresql://db:5432/app\nspring.datasource.username=app\nspring.datasource.password=⟦pw⟧\n",
	"<?php\ndefine('DB_NAME', 'wordpress');\ndefine('DB_USER', 'wp');\ndefine('DB_PASSWORD', '⟦pw⟧');\ndefine('AUTH_KEY', '⟦wpkey⟧');\n",
	"package main\n\nconst apiKey = \"⟦alnum32⟧\"\n\nvar dsn = \"postgres://svc:⟦urlpw⟧@localhost/svc?sslmode=disable\"\n",
	"production:\n  secret_key_base: ⟦hex128⟧\n",
	"SECRET_KEY = '⟦wpkey⟧'\nDEBUG = False\nALLOWED_HOSTS = ['api.acme.dev']\n",
	"[web]\n10.0.0.5 ansible_user=deploy ansible_password=⟦pw⟧ ansible_become_pass=⟦pw⟧\n",
	"diff --git a/.env b/.env\n--- a/.env\n+++ b/.env\n@@ -1,2 +1,3 @@\n LOG_LEVEL=info\n+MAPS_API_KEY=⟦gcp-api-key⟧\n+TWILIO_AUTH_TOKEN=⟦hex32⟧\n",
	"POST /v1/messages HTTP/1.1\nHost: api.anthropic.com\nx-api-key: ⟦anthropic-api-key⟧\nanthropic-version: 2023-06-01\ncontent-type: application/json\n",
	"DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=⟦azure-storage-connection-string⟧;EndpointSuffix=core.windows.net\n",
	"variables:\n  GITLAB_TOKEN: ⟦gitlab-pat⟧\n  DOCKER_AUTH_CONFIG: '{\"auths\":{\"registry.acme.dev\":{\"auth\":\"⟦basic⟧\"}}}'\n",
	`sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="svc" password="⟦pw⟧";`,
	"I rotated the keys. New ones: OpenAI ⟦openai-project-key⟧, Groq ⟦groq-api-key⟧, and the DB password is ⟦alnum32⟧.",
}

var rcDecoyDocs = []string{
	// .env.example
	`# Copy to .env and fill in.
NODE_ENV=development
DATABASE_URL=postgres://postgres:postgres@localhost:5432/app
JWT_SECRET=change-me
STRIPE_SECRET_KEY=sk_test_...
OPENAI_API_KEY=your-openai-api-key
SMTP_PASSWORD=
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
`,
	`services:
  db:
    image: postgres@sha256:⟦hex32⟧⟦hex32⟧
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}
      POSTGRES_USER: ${POSTGRES_USER}
  api:
    environment:
      - DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app
      - API_TOKEN
`,
	`apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api@sha256:⟦hex32⟧⟦hex32⟧
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: app-secrets
                  key: db-password
            - name: TOKEN_TTL
              value: "3600"
`,
	`variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_db_instance" "main" {
  password = var.db_password
  username = "admin"
}

resource "random_password" "api" {
  length  = 32
  special = true
}

output "api_token" {
  value     = random_password.api.result
  sensitive = true
}
`,
	`name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          token: ${{ secrets.GITHUB_TOKEN }}
      - run: npm ci && npm test
        env:
          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
          API_KEY: ${{ vars.API_KEY }}
`,
	`import os

API_KEY = os.environ["API_KEY"]
DB_PASSWORD = os.getenv("DB_PASSWORD", "")
token = get_token(scope="read")

class Settings(BaseSettings):
    api_key: SecretStr
    password: str = Field(..., min_length=12)
    max_tokens: int = 4096

def login(username: str, password: str) -> Token:
    if not verify_password(password, user.password_hash):
        raise AuthError("invalid password")
    return create_access_token(data={"sub": username})
`,
	`$ git log --oneline -3
⟦hex40⟧ fix: rotate token cache on 401
⟦hex40⟧ feat: add password reset flow
$ sha256sum dist/app.tar.gz
⟦hex32⟧⟦hex32⟧  dist/app.tar.gz
$ go test ./...
--- PASS: TestPasswordPolicy (0.00s)
--- PASS: TestTokenRefresh (0.01s)
ok  	github.com/acme/auth	0.123s
`,
	`2026-05-01T12:00:00Z INFO request_id=4b8f8e52-8d3c-4e6b-9a11-2f0c6f6a1d2e user=alice action=login result=success
2026-05-01T12:00:01Z INFO token refreshed for user=alice expires_in=3600
2026-05-01T12:00:02Z WARN password attempt failed for user=bob (3/5)
2026-05-01T12:00:03Z INFO usage input_tokens=18234 output_tokens=912 cache_read_input_tokens=16000
`,
	"How do I rotate my GitHub token? I have `GITHUB_TOKEN` set in my shell and `gh auth status` says the token is expired. Also, what is the difference between a fine-grained token and a classic one?",
	`{
  "openapi": "3.1.0",
  "components": {
    "securitySchemes": {
      "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
      "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    },
    "schemas": {
      "Login": {"type": "object", "properties": {"password": {"type": "string", "format": "password", "minLength": 12}}}
    }
  }
}`,
	`{
  "name": "api",
  "dependencies": {"jsonwebtoken": "^9.0.2", "passport": "^0.7.0", "bcrypt": "^5.1.1"},
  "scripts": {"token:rotate": "node scripts/rotate-token.js"}
}`,
	"github.com/golang-jwt/jwt/v5 v5.2.1 h1:⟦b64-32⟧\ngolang.org/x/crypto v0.31.0/go.mod h1:⟦b64-32⟧\n",
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI⟦alnum32⟧ deploy@ci\n",
	"## Authentication\n\nSet `ANTHROPIC_API_KEY` in your environment. Never commit your API key; use a secret manager. Keys look like `sk-ant-api03-...`.\n\n```bash\nexport ANTHROPIC_API_KEY=<your key>\ncurl -H \"x-api-key: $ANTHROPIC_API_KEY\" https://api.anthropic.com/v1/models\n```\n",
	`apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=
    server: https://10.0.0.1:6443
  name: prod
users:
- name: admin
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: ["eks", "get-token", "--cluster-name", "prod"]
`,
	"# Usage\n\n    mysql -u root -p\n    psql \"postgresql://$PGUSER@$PGHOST/$PGDATABASE\"\n    docker login ghcr.io -u USERNAME --password-stdin\n    curl -u \"$USER:$TOKEN\" https://api.example.com\n",
	"spring.datasource.password=${DB_PASSWORD}\nspring.security.oauth2.client.registration.github.client-secret=${GITHUB_CLIENT_SECRET}\n",
	"<?php\ndefine('DB_PASSWORD', getenv('DB_PASSWORD'));\ndefine('AUTH_KEY', 'put your unique phrase here');\n",
	"const token = localStorage.getItem('token');\nconst { password, ...rest } = user;\nexport const PASSWORD_MIN_LENGTH = 12;\nif (password !== confirmPassword) throw new Error('Passwords do not match');\n",
	`{"id": "msg_01", "type": "message", "usage": {"input_tokens": 2095, "output_tokens": 503}, "stop_reason": "max_tokens"}`,
	`<meta name="csrf-token" content="⟦alnum48⟧">` + "\n" + `<input type="hidden" name="authenticity_token" value="⟦alnum48⟧">`,
	"integrity=\"sha384-⟦b64-32⟧\"\n\"resolved\": \"https://registry.npmjs.org/jsonwebtoken/-/jsonwebtoken-9.0.2.tgz\",\n\"integrity\": \"sha512-⟦b64-32⟧\"\n",
}

func TestRuleCorpus(t *testing.T) {
	red := newTestRedactor(t, nil)
	r := rand.New(rand.NewPCG(testSeed(), 99))
	var total, caught int
	for i, tmpl := range rcSecretDocs {
		doc, secrets := rcFill(r, tmpl)
		for _, e := range embeddings {
			in := e.wrap(doc)
			out, _ := red.Redact([]byte(in))
			for _, s := range secrets {
				total++
				if bytes.Contains(out, []byte(e.enc(s))) {
					t.Errorf("document %d, %s: %.40q survived\n  in: %.400q", i, e.name, s, in)
					continue
				}
				caught++
			}
		}
	}
	var decoys, changed int
	for i, tmpl := range rcDecoyDocs {
		doc, _ := rcFill(r, tmpl)
		for _, e := range embeddings {
			decoys++
			in := e.wrap(doc)
			out, findings := red.Redact([]byte(in))
			if !bytes.Equal(out, []byte(in)) {
				changed++
				var what []string
				for _, f := range findings {
					what = append(what, f.RuleID+"="+in[f.Start:f.End])
				}
				t.Errorf("decoy %d, %s: changed by %s", i, e.name, strings.Join(what, ", "))
			}
		}
	}
	t.Logf("recall %d/%d, decoys untouched %d/%d", caught, total, decoys-changed, decoys)
}
