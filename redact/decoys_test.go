// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
)

// Decoys are text that looks like it holds a secret and does not: public
// values, references to secrets kept elsewhere, placeholders, code that
// names a secret, prose about secrets. Every rule must leave them alone.

// staticDecoys are decoys that need no randomness.
var staticDecoys = []string{
	// References and placeholders.
	"password: ${DB_PASSWORD}",
	`token = os.environ["TOKEN"]`,
	"password=getpass()",
	"api_key: str",
	`"max_tokens": 1024`,
	"secret_key_base: <%= ENV['SECRET_KEY_BASE'] %>",
	"password: changeme",
	"token: <YOUR_TOKEN>",
	"token: string",
	"function getSecret(name) { return vault.read(name) }",
	"const passwordField = document.querySelector('#pw');",
	"Go to Settings and set your password in the settings page.",
	"PASSWORD_MIN_LENGTH=8",
	"from transformers import AutoTokenizer\ntokenizer = AutoTokenizer.from_pretrained('gpt2')",
	"secret_santa: true",
	"cat /etc/secrets/password.txt",
	"AKIAIOSFODNN7EXAMPLE",
	"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	"aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
	"password = None",
	"password: null",
	`"password": ""`,
	`<input type="password" name="password" autocomplete="current-password">`,
	`{"type": "password", "label": "Password", "placeholder": "Enter your password"}`,
	"https://user:pass@example.com/",
	"https://username:password@example.com/",
	"postgres://postgres:postgres@localhost:5432/app",
	"postgres://app:${DB_PASS}@db:5432/app",
	"mysql://root:<password>@localhost/db",
	"redis://localhost:6379/0",
	"mongodb://localhost:27017",
	"https://github.com/hushproxy/hush",
	"git@github.com:hushproxy/hush.git",
	"ssh://git@github.com/hushproxy/hush.git",
	"Authorization: Bearer <token>",
	"Authorization: Bearer $TOKEN",
	`curl -H "Authorization: Bearer ${API_KEY}" https://api.example.com`,
	`headers = {"Authorization": f"Bearer {token}"}`,
	`headers = {"Authorization": "Bearer " + token}`,
	"Use Bearer token authentication for all endpoints.",
	"This is a basic example of how authentication works.",
	"secret: ${{ secrets.GITHUB_TOKEN }}",
	"token: ${{ secrets.NPM_TOKEN }}",
	"//registry.npmjs.org/:_authToken=${NPM_TOKEN}",
	"machine learning models can help with login and password reset flows",
	"mysql -u root -p",
	"echo $PASS | docker login -u ci --password-stdin registry.example.com",
	"curl -u $USER:$PASS https://example.com",
	"eyJhbGciOiJIUzI1NiJ9",
	`"usage": {"input_tokens": 1024, "output_tokens": 512, "total_tokens": 1536}`,
	"token_type: Bearer",
	"def login(username, password):\n    if password == confirm_password:\n        return True",
	"user.password = hashed",
	"password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())",
	`"password_hash": "$2b$12$KIXQJr0vZ8w5eRkGZ3mHOe8Q5J7v3F1N5s8kq9Lr1xY0qVh7Zb6Wy"`,
	"api_key = settings.API_KEY",
	`API_KEY = os.getenv("API_KEY")`,
	"apiKey: process.env.API_KEY,",
	"const { password } = req.body;",
	"interface User {\n  email: string;\n  password: string;\n  token?: string;\n}",
	"type Config struct {\n\tPassword string `json:\"password\"`\n\tToken    string `yaml:\"token\"`\n}",
	"private String password;",
	`@Value("${app.secret}") private String secret;`,
	`let token = env::var("TOKEN")?;`,
	"export GITHUB_TOKEN=$(gh auth token)",
	"The context limit is 200000 tokens and the output limit is 8192 tokens.",
	"PASSWORD_RESET_TIMEOUT=3600",
	"secretName: tls-secret",
	"valueFrom:\n  secretKeyRef:\n    name: db\n    key: password",
	"password = var.db_password",
	"password = random_password.db.result",
	`client_secret = data.vault_generic_secret.oauth.data["client_secret"]`,
	`password: "{{ vault_db_password }}"`,
	"ansible_become_pass: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6638643965326435",
	"MasterUserPassword: !Ref DbPassword",
	"password: ENC[AES256_GCM,data:Tr7o,iv:1=,tag:2=,type:str]",
	"<password>${env.NEXUS_PASSWORD}</password>",
	`secret_key = "your-secret-key-here"`,
	`SECRET_KEY = 'django-insecure-change-me'`,
	`api_key = "YOUR_API_KEY"`,
	"token: xxxxxxxxxxxxxxxxxxxxxxxx",
	`password: "********"`,
	`token: "REDACTED"`,
	`"apiKey": "<insert key>"`,
	"password: dummy",
	"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	"sk-proj-...",
	"xoxb-your-token",
	"The secret to good code is simplicity.",
	"Password: (hidden)",
	"Your password must be at least 8 characters long.",
	"| password | string | The user's password |",
	"| field | password |\n|---|---|\n| db | (in vault) |\n| mq | `${MQ_PASSWORD}` |\n| ci | ******** |\n",
	"password = hashlib.sha256",
	`password = "enter your password here"`,
	"db_password: vault-prod-db-creds",
	"password: correct horse battery staple",
	"PASSWORD_SECRET=postgres-cluster-app",
	"The password for the staging server is in the vault.",
	"Das Passwort für den Server lautet wie immer.",
	"Set the API key in your environment before you run the tests.",
	`t("password", "Passwort")`,
	`fields = ("username", "password", "email")`,
	`"Token": "0x52908400098527886E0F7030069857D2E4169EE7"`,
	`mapboxToken: "pk.eyJ1IjoiYWNtZSIsImEiOiJja2V4YW1wbGUifQ.c2lnbmF0dXJlLXB1YmxpYw"`,
	"mytool --password-file /run/secrets/db_password",
	`passphrase: ""`,
	"PGPASSWORD=$(cat /run/secrets/pg) psql -h db",
	".password-input { border: 1px solid red; }",
	"GET /api/v1/auth/token?grant_type=refresh_token",
	`"client_id": "1234567890-abc123def456ghi789.apps.googleusercontent.com"`,
	"arn:aws:iam::123456789012:role/deploy",
	"pass_filenames: false",
	"tokens = tokenizer.encode(text)",
	"secrets:\n  - name: db\n    secretName: db-credentials",
	"kind: Secret\nmetadata:\n  name: empty\ndata: {}",
	"apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ndata:\n  password: {{ .Values.password | b64enc }}",
	"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  LOG_LEVEL: debug\n  ENABLED: dHJ1ZQ==",
	"data: {\"type\": \"content_block_delta\", \"delta\": {\"text\": \"hi\"}}",
	"the passenger passed the compass; bypass it",
	"const token = await getToken();",
	"password := os.Getenv(\"PASSWORD\")",
	"if err := validatePassword(password); err != nil {",
	"-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
	"-----BEGIN OPENSSH PRIVATE KEY-----\n<your key here>\n-----END OPENSSH PRIVATE KEY-----",
	"Your private key starts with -----BEGIN RSA PRIVATE KEY----- and ends with -----END RSA PRIVATE KEY----- lines.",
	"access_token = response.json()[\"access_token\"]",
	"refresh_token: str | None = None",
	"password: Optional[str] = None",
	"SESSION_COOKIE_SECURE = True",
	"api_key=api_key",
	"token=token",
	"password=password",
	"new_password = form.cleaned_data['new_password']",
	"The API key is stored in 1Password.",
	"Authorization: Digest username=\"admin\", realm=\"x\", nonce=\"abc\", response=\"6629fae49393a05397450978507c4ef1\"",
}

// generatedDecoys are public values and other look-alikes made at run
// time.
func generatedDecoys(r *rand.Rand) []string {
	sum256 := func() string { h := sha256.Sum256([]byte(rs(r, csAlnum, 16))); return hex.EncodeToString(h[:]) }
	sum1 := func() string { h := sha1.Sum([]byte(rs(r, csAlnum, 16))); return hex.EncodeToString(h[:]) }
	sum384 := func() string {
		h := sha512.Sum384([]byte(rs(r, csAlnum, 16)))
		return base64.StdEncoding.EncodeToString(h[:])
	}
	sum512 := func() string {
		h := sha512.Sum512([]byte(rs(r, csAlnum, 16)))
		return base64.StdEncoding.EncodeToString(h[:])
	}
	return []string{
		"pk_live_51" + rs(r, csAlnum, 97),
		"const stripe = Stripe('pk_test_51" + rs(r, csAlnum, 97) + "');",
		"sb_publishable_" + rs(r, csB64URL, 32),
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(r, csB64, 43) + " deploy@ci",
		"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(r, csB64, 500) + "= user@laptop",
		fakePEM(r, "PUBLIC KEY", 294, ""),
		fakePEM(r, "CERTIFICATE", 900, ""),
		"commit " + sum1() + "\nAuthor: Dev <dev@example.com>",
		"sha256sum: " + sum256() + "  release.tar.gz",
		"request_id: " + uuid(r),
		`{"trace_id": "` + uuid(r) + `", "span_id": "` + rs(r, csHex, 16) + `"}`,
		`<script src="https://cdn.example.com/lib.js" integrity="sha384-` + sum384() + `" crossorigin="anonymous"></script>`,
		`"integrity": "sha512-` + sum512() + `"`,
		"image: nginx@sha256:" + sum256(),
		"github.com/google/go-cmp v0.6.0 h1:" + base64.StdEncoding.EncodeToString([]byte(rs(r, csAlnum, 32))) + "=",
		"checksum = \"" + sum256() + "\"",
		"oid sha256:" + sum256(),
		"git checkout " + sum1()[:12],
		"client-certificate-data: " + base64.StdEncoding.EncodeToString([]byte(fakePEM(r, "CERTIFICATE", 600, ""))),
		fmt.Sprintf("listening on 10.%d.%d.%d:%d", r.IntN(255), r.IntN(255), r.IntN(255), 1024+r.IntN(60000)),
		"data:image/png;base64," + b64(r, 600),
		"The build " + sum1() + " passed in 3m12s.",
		`"etag": "W/\"` + rs(r, csHex, 32) + `\""`,
		"Content-MD5: " + base64.StdEncoding.EncodeToString([]byte(rs(r, csAlnum, 16))),
		"aws_account_id = \"" + rs(r, csDigits, 12) + "\"",
		"channel: C0" + rs(r, csUpperNum, 9),
		"https://example.com/search?q=" + rs(r, csLower, 8) + "&page=2&sig=abc",
	}
}
