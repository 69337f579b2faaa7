// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"net/url"
	"strings"
)

// Sample generators make realistic secrets at test time, with valid
// checksums where the format has one, so that the repository never holds
// a token-shaped literal (secret scanners run on it). Rules name their
// generators in samples:, and a test checks that every name resolves and
// every generator is used.

// A sample is one true positive: text to embed in a document, and the
// substrings that must not survive redaction.
type sample struct {
	text    string
	secrets []string
	// inline marks a bare token, which is also tried glued to
	// punctuation and quotes.
	inline bool
}

type sampleGen func(r *rand.Rand) sample

const (
	csUpper    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	csLower    = "abcdefghijklmnopqrstuvwxyz"
	csDigits   = "0123456789"
	csAlnum    = csUpper + csLower + csDigits
	csLowerNum = csLower + csDigits
	csUpperNum = csUpper + csDigits
	csHex      = "0123456789abcdef"
	csB64      = csAlnum + "+/"
	csB64URL   = csAlnum + "-_"
	csBase32   = "abcdefghijklmnopqrstuvwxyz234567"
	csPassword = csAlnum + "!#%*-_.~^"
)

// rs returns n random characters from cs. Values with too little variety
// to pass an entropy floor are drawn again, as a real generator's output
// would almost never be.
func rs(r *rand.Rand, cs string, n int) string {
	for {
		b := make([]byte, n)
		for i := range b {
			b[i] = cs[r.IntN(len(cs))]
		}
		if n < 12 || entropy(b) >= 3.0 && !allowed(b) {
			return string(b)
		}
	}
}

// mixed returns n random characters from cs that include an uppercase
// letter, a lowercase letter and a digit.
func mixed(r *rand.Rand, cs string, n int) string {
	for {
		s := rs(r, cs, n)
		if strings.ContainsAny(s, csUpper) && strings.ContainsAny(s, csLower) && strings.ContainsAny(s, csDigits) {
			return s
		}
	}
}

// password returns a human-style strong password: letters, digits and a
// symbol.
func password(r *rand.Rand) string {
	for {
		s := rs(r, csPassword, 10+r.IntN(10))
		if strings.ContainsAny(s, csUpper) && strings.ContainsAny(s, csLower) && strings.ContainsAny(s, csDigits) &&
			strings.ContainsAny(s, "!#%*-_.~^") && !strings.ContainsAny(s[:1], "-.~#!%*^") {
			return s
		}
	}
}

// urlPassword is a password that needs no percent-encoding in a URL.
func urlPassword(r *rand.Rand) string {
	for {
		s := rs(r, csAlnum+"-_.~!*", 12+r.IntN(10))
		if strings.ContainsAny(s, csUpper) && strings.ContainsAny(s, csLower) && strings.ContainsAny(s, csDigits) && !strings.ContainsAny(s[:1], "-.~!*") {
			return s
		}
	}
}

func uuid(r *rand.Rand) string {
	h := rs(r, csHex, 32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

func b64(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return base64.StdEncoding.EncodeToString(b)
}

// tok is a bare token: prefix and n characters of cs.
func tok(prefix, cs string, n int) sampleGen {
	return func(r *rand.Rand) sample {
		t := prefix + rs(r, cs, n)
		return sample{text: t, secrets: []string{t}, inline: true}
	}
}

// ctx is a secret inside a line: format has one %s for n characters of cs.
func ctx(format, cs string, n int) sampleGen {
	return func(r *rand.Rand) sample {
		v := rs(r, cs, n)
		if cs == csAlnum || cs == csB64 || cs == csB64URL {
			v = mixed(r, cs, n)
		}
		return sample{text: fmt.Sprintf(format, v), secrets: []string{v}}
	}
}

// with is a secret made by gen inside a line: format has one %s.
func with(format string, gen func(r *rand.Rand) string) sampleGen {
	return func(r *rand.Rand) sample {
		v := gen(r)
		return sample{text: strings.ReplaceAll(format, "%s", v), secrets: []string{v}}
	}
}

func githubToken(prefix string) sampleGen {
	return func(r *rand.Rand) sample {
		body := rs(r, csAlnum, 30)
		sum := base62CRC32([]byte(body))
		t := prefix + body + string(sum[:])
		return sample{text: t, secrets: []string{t}, inline: true}
	}
}

func atlassianToken(prefix, cs string, n int, sep string) sampleGen {
	return func(r *rand.Rand) sample {
		t := prefix + rs(r, cs, n) + sep
		t += fmt.Sprintf("%08X", crc32.ChecksumIEEE([]byte(t)))
		return sample{text: t, secrets: []string{t}, inline: true}
	}
}

// fakePEM returns a PEM-style block of n random bytes under label, with
// optional armor headers.
func fakePEM(r *rand.Rand, label string, n int, headers string) string {
	body := b64(r, n)
	var sb strings.Builder
	sb.WriteString("-----BEGIN " + label + "-----\n" + headers)
	for len(body) > 64 {
		sb.WriteString(body[:64] + "\n")
		body = body[64:]
	}
	sb.WriteString(body + "\n-----END " + label + "-----")
	return sb.String()
}

func pemSample(label string, n int, headers string) sampleGen {
	return func(r *rand.Rand) sample {
		p := fakePEM(r, label, n, headers)
		lines := strings.Split(p, "\n")
		return sample{text: p, secrets: []string{lines[len(lines)/2]}}
	}
}

// bech32Encode encodes data (8-bit bytes) under hrp (BIP 173).
func bech32Encode(hrp string, data []byte) string {
	var five []byte
	acc, bits := 0, 0
	for _, b := range data {
		acc = acc<<8 | int(b)
		bits += 8
		for bits >= 5 {
			bits -= 5
			five = append(five, byte(acc>>bits&31))
		}
	}
	if bits > 0 {
		five = append(five, byte(acc<<(5-bits)&31))
	}
	values := make([]byte, 0, len(hrp)*2+1+len(five)+6)
	for i := 0; i < len(hrp); i++ {
		values = append(values, hrp[i]>>5)
	}
	values = append(values, 0)
	for i := 0; i < len(hrp); i++ {
		values = append(values, hrp[i]&31)
	}
	values = append(values, five...)
	values = append(values, 0, 0, 0, 0, 0, 0)
	mod := bech32Polymod(values) ^ 1
	out := []byte(hrp + "1")
	for _, v := range five {
		out = append(out, bech32Charset[v])
	}
	for i := 0; i < 6; i++ {
		out = append(out, bech32Charset[mod>>(5*(5-i))&31])
	}
	return string(out)
}

func b64url(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func jwtToken(r *rand.Rand) string {
	head := b64url(`{"alg":"HS256","typ":"JWT"}`)
	body := b64url(fmt.Sprintf(`{"sub":"%d","name":"%s","iat":%d,"exp":%d}`, r.IntN(1e6), rs(r, csLower, 8), 1700000000+r.IntN(1e7), 1800000000+r.IntN(1e7)))
	return head + "." + body + "." + rs(r, csB64URL, 43)
}

func basicCreds(r *rand.Rand) string {
	return base64.StdEncoding.EncodeToString([]byte(rs(r, csLower, 6) + ":" + password(r)))
}

func discordToken(r *rand.Rand) string {
	id := fmt.Sprintf("1%d", 100000000000000000+r.Int64N(800000000000000000))
	return base64.RawURLEncoding.EncodeToString([]byte(id)) + "." + rs(r, csB64URL, 6) + "." + rs(r, csB64URL, 38)
}

// gcpServiceAccount is a service-account key file; which picks the
// secret the sample is about (0: private_key_id, 1: the key).
func gcpServiceAccount(which int) sampleGen {
	return func(r *rand.Rand) sample {
		id := rs(r, csHex, 40)
		p := fakePEM(r, "PRIVATE KEY", 1216, "")
		esc := strings.ReplaceAll(p, "\n", `\n`)
		text := `{
  "type": "service_account",
  "project_id": "acme-prod-123",
  "private_key_id": "` + id + `",
  "private_key": "` + esc + `\n",
  "client_email": "deployer@acme-prod-123.iam.gserviceaccount.com",
  "client_id": "1` + rs(r, csDigits, 20) + `",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token",
  "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs"
}`
		lines := strings.Split(p, "\n")
		return sample{text: text, secrets: []string{[]string{id, lines[5]}[which]}}
	}
}

// sampleGens are the true-positive generators, by the names rules use.
var sampleGens = map[string]sampleGen{
	// cloud
	"aws-access-key-id": tok("AKIA", csUpperNum, 16),
	"aws-temp-key-id":   tok("ASIA", csUpperNum, 16),
	"aws-secret-env":    ctx("export AWS_SECRET_ACCESS_KEY=%s", csB64, 40),
	"aws-secret-credentials-file": func(r *rand.Rand) sample {
		v := mixed(r, csB64, 40)
		return sample{text: "[default]\naws_access_key_id = AKIA" + rs(r, csUpperNum, 16) + "\naws_secret_access_key = " + v + "\nregion = eu-west-1\n", secrets: []string{v}}
	},
	"aws-secret-json": func(r *rand.Rand) sample {
		v := mixed(r, csB64, 40)
		return sample{text: `{"Credentials": {"AccessKeyId": "ASIA` + rs(r, csUpperNum, 16) + `", "SecretAccessKey": "` + v + `", "Expiration": "2026-01-01T00:00:00Z"}}`, secrets: []string{v}}
	},
	"aws-secret-configure": ctx("$ aws configure set aws_secret_access_key %s", csB64, 40),
	"aws-pair-csv": func(r *rand.Rand) sample {
		v := mixed(r, csB64, 40)
		return sample{text: "User name,Access key ID,Secret access key\nci-bot,AKIA" + rs(r, csUpperNum, 16) + "," + v + "\n", secrets: []string{v}}
	},
	"aws-pair-prose": func(r *rand.Rand) sample {
		v := mixed(r, csB64, 40)
		return sample{text: "use AKIA" + rs(r, csUpperNum, 16) + " / " + v + " for the staging bucket", secrets: []string{v}}
	},
	"aws-session-token-env": ctx("AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjE%s", csB64, 300),
	"aws-session-token-url": func(r *rand.Rand) sample {
		t := "FwoGZXIvYXdzE" + mixed(r, csB64, 280) + "=="
		enc := url.QueryEscape(t)
		return sample{text: "https://bucket.s3.amazonaws.com/report.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Security-Token=" + enc + "&X-Amz-Expires=300", secrets: []string{enc}}
	},
	"aws-sts-token":              tok("IQoJb3JpZ2luX2VjE", csB64, 320),
	"aws-bedrock-api-key":        tok("ABSKQmVkcm9ja0FQSUtleS", csB64, 110),
	"aws-bedrock-short-term-key": tok("bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t", csB64, 900),
	"gcp-api-key":                tok("AIzaSy", csB64URL, 33),
	"gcp-service-account":        gcpServiceAccount(0),
	"gcp-service-account-pem":    gcpServiceAccount(1),
	"gcp-oauth-client-secret":    tok("GOCSPX-", csB64URL, 28),
	"google-oauth-access-token":  tok("ya29.a0AfH6SM", csB64URL, 150),
	"google-oauth-refresh-token": tok("1//0g", csB64URL, 100),
	"firebase-fcm-server-key": func(r *rand.Rand) sample {
		s := "APA91b" + rs(r, csB64URL, 134)
		return sample{text: "AAAA" + rs(r, csB64URL, 7) + ":" + s, secrets: []string{s}, inline: true}
	},
	"azure-ad-client-secret": func(r *rand.Rand) sample {
		tail := rs(r, csDigits, 1) + "Q~" + mixed(r, csAlnum+"_~.-", 34)
		for strings.HasSuffix(tail, "-") || strings.HasSuffix(tail, ".") {
			tail = tail[:len(tail)-1] + "a"
		}
		return sample{text: rs(r, csAlnum, 3) + tail, secrets: []string{tail}, inline: true}
	},
	"azure-storage-connection-string": func(r *rand.Rand) sample {
		k := mixed(r, csB64, 86) + "=="
		return sample{text: "DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=" + k + ";EndpointSuffix=core.windows.net", secrets: []string{k}}
	},
	"azure-storage-key-signature": func(r *rand.Rand) sample {
		tail := "JQQJ99" + rs(r, csAlnum, 26) + rs(r, csAlnum, 4)
		return sample{text: rs(r, csAlnum, 52) + tail, secrets: []string{tail}, inline: true}
	},
	"azure-shared-access-key": func(r *rand.Rand) sample {
		k := mixed(r, csB64, 43) + "="
		return sample{text: "Endpoint=sb://acme-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=" + k, secrets: []string{k}}
	},
	"azure-sas-url": func(r *rand.Rand) sample {
		sig := url.QueryEscape(mixed(r, csB64, 43) + "=")
		return sample{text: "https://acmelogs.blob.core.windows.net/exports/data.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&spr=https&sig=" + sig, secrets: []string{sig}}
	},
	"azure-devops-pat":      ctx("AZURE_DEVOPS_EXT_PAT=%s", csBase32, 52),
	"alibaba-access-key-id": tok("LTAI", csAlnum, 20),
	"tencent-secret-id":     tok("AKID", csAlnum, 32),

	// vcs
	"github-pat":           githubToken("ghp_"),
	"github-oauth-token":   githubToken("gho_"),
	"github-user-token":    githubToken("ghu_"),
	"github-app-token":     githubToken("ghs_"),
	"github-refresh-token": githubToken("ghr_"),
	"github-fine-grained-pat": func(r *rand.Rand) sample {
		t := "github_pat_11" + rs(r, csUpperNum, 20) + "_" + rs(r, csAlnum, 59)
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"gitlab-pat": tok("glpat-", csB64URL, 20),
	"gitlab-pat-routable": func(r *rand.Rand) sample {
		t := "glpat-" + rs(r, csB64URL, 27) + ".01." + rs(r, csLowerNum, 7)
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"gitlab-deploy-token":        tok("gldt-", csB64URL, 20),
	"gitlab-runner-token":        tok("glrt-t1_", csB64URL, 20),
	"gitlab-runner-registration": tok("GR1348941", csB64URL, 20),
	"gitlab-ci-job-token":        tok("glcbt-64_", csB64URL, 20),
	"gitlab-trigger-token":       tok("glptt-", csHex, 40),
	"gitlab-oauth-secret":        tok("gloas-", csHex, 64),
	"gitlab-scim-token":          tok("glsoat-", csB64URL, 20),
	"gitlab-feed-token":          tok("glft-", csB64URL, 20),
	"gitlab-incoming-mail-token": tok("glimt-", csB64URL, 25),
	"gitlab-agent-token":         tok("glagent-", csB64URL, 50),
	"gitlab-feature-flag-token":  tok("glffct-", csB64URL, 20),
	"gitlab-session-cookie":      ctx("Cookie: _gitlab_session=%s", csLowerNum, 32),
	"bitbucket-app-password":     atlassianToken("ATBB", csAlnum, 24, ""),
	"bitbucket-access-token":     atlassianToken("ATCTT3xFfGN0", csB64URL, 180, "="),
	"bitbucket-http-access-token": func(r *rand.Rand) sample {
		t := "BBDC-" + base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("%d:", 100000000000+r.IntN(1e11))+rs(r, csAlnum, 20)))
		return sample{text: t, secrets: []string{t}, inline: true}
	},

	// ai
	"openai-project-key": func(r *rand.Rand) sample {
		t := "sk-proj-" + rs(r, csB64URL, 74) + "T3BlbkFJ" + rs(r, csB64URL, 74)
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"openai-service-account-key": func(r *rand.Rand) sample {
		t := "sk-svcacct-" + rs(r, csB64URL, 74) + "T3BlbkFJ" + rs(r, csB64URL, 74)
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"openai-admin-key": func(r *rand.Rand) sample {
		t := "sk-admin-" + rs(r, csB64URL, 58) + "T3BlbkFJ" + rs(r, csB64URL, 58)
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"openai-user-key": func(r *rand.Rand) sample {
		t := "sk-None-" + rs(r, csB64URL, 74) + "T3BlbkFJ" + rs(r, csB64URL, 74)
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"openai-legacy-key": func(r *rand.Rand) sample {
		t := "sk-" + rs(r, csAlnum, 20) + "T3BlbkFJ" + rs(r, csAlnum, 20)
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"anthropic-api-key": func(r *rand.Rand) sample {
		t := "sk-ant-api03-" + rs(r, csB64URL, 93) + "AA"
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"anthropic-admin-key": func(r *rand.Rand) sample {
		t := "sk-ant-admin01-" + rs(r, csB64URL, 93) + "AA"
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"anthropic-oauth-token": func(r *rand.Rand) sample {
		t := "sk-ant-oat01-" + rs(r, csB64URL, 93) + "AA"
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"openrouter-api-key":    tok("sk-or-v1-", csHex, 64),
	"huggingface-token":     tok("hf_", csUpper+csLower, 34),
	"huggingface-org-token": tok("api_org_", csUpper+csLower, 34),
	"groq-api-key": func(r *rand.Rand) sample {
		t := "gsk_" + rs(r, csAlnum, 20) + "WGdyb3FY" + rs(r, csAlnum, 24)
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"replicate-api-token":      tok("r8_", csAlnum, 37),
	"xai-api-key":              tok("xai-", csAlnum, 80),
	"perplexity-api-key":       tok("pplx-", csAlnum, 48),
	"together-api-key":         tok("tgp_v1_", csB64URL, 43),
	"langsmith-api-key":        with("lsv2_pt_%s", func(r *rand.Rand) string { return rs(r, csHex, 32) + "_" + rs(r, csHex, 10) }),
	"langsmith-legacy-key":     tok("ls__", csHex, 32),
	"pinecone-api-key":         with("pcsk_%s", func(r *rand.Rand) string { return rs(r, csAlnum, 6) + "_" + rs(r, csAlnum, 63) }),
	"tavily-api-key":           tok("tvly-dev-", csAlnum, 32),
	"elevenlabs-api-key":       tok("sk_", csHex, 48),
	"elevenlabs-api-key-named": ctx("ELEVENLABS_API_KEY=%s", csHex, 32),
	"nvidia-api-key":           tok("nvapi-", csB64URL, 64),
	"cerebras-api-key":         tok("csk-", csLowerNum, 48),
	"mistral-api-key":          ctx("MISTRAL_API_KEY=%s", csAlnum, 32),
	"cohere-api-key":           ctx(`co = cohere.ClientV2(api_key="x")\nCOHERE_API_KEY="%s"`, csAlnum, 40),
	"deepseek-api-key":         with("DEEPSEEK_API_KEY=%s", func(r *rand.Rand) string { return "sk-" + rs(r, csHex, 32) }),
	"wandb-api-key":            ctx("$ wandb login %s", csHex, 40),
	"llm-api-key":              tok("sk-", csAlnum, 48),

	// payments
	"stripe-secret-key":          tok("sk_live_51", csAlnum, 97),
	"stripe-test-secret-key":     tok("sk_test_51", csAlnum, 97),
	"stripe-restricted-key":      tok("rk_live_51", csAlnum, 97),
	"stripe-test-restricted-key": tok("rk_test_51", csAlnum, 97),
	"stripe-webhook-secret":      tok("whsec_", csAlnum, 32),
	"square-access-token":        tok("sq0atp-", csB64URL, 22),
	"square-production-token":    tok("EAAA", csB64URL, 60),
	"square-oauth-secret":        tok("sq0csp-", csB64URL, 43),
	"braintree-access-token": with("access_token$production$%s", func(r *rand.Rand) string {
		return rs(r, csLowerNum, 16) + "$" + rs(r, csHex, 32)
	}),
	"flutterwave-secret-key": with("FLWSECK_TEST-%s-X", func(r *rand.Rand) string { return rs(r, "abcdefgh0123456789", 32) }),
	"plaid-secret":           ctx("PLAID_SECRET=%s", csHex, 30),

	// messaging
	"slack-bot-token": with("xoxb-%s", func(r *rand.Rand) string {
		return rs(r, csDigits, 12) + "-" + rs(r, csDigits, 13) + "-" + rs(r, csAlnum, 24)
	}),
	"slack-user-token": with("xoxp-%s", func(r *rand.Rand) string {
		return rs(r, csDigits, 12) + "-" + rs(r, csDigits, 12) + "-" + rs(r, csDigits, 13) + "-" + rs(r, csHex, 32)
	}),
	"slack-app-token": with("xapp-1-%s", func(r *rand.Rand) string {
		return "A" + rs(r, csUpperNum, 10) + "-" + rs(r, csDigits, 13) + "-" + rs(r, csHex, 64)
	}),
	"slack-config-token":  tok("xoxe.xoxp-1-", csAlnum, 166),
	"slack-refresh-token": tok("xoxe-1-", csAlnum, 146),
	"slack-legacy-token": with("xoxs-%s", func(r *rand.Rand) string {
		return rs(r, csDigits, 10) + "-" + rs(r, csDigits, 12) + "-" + rs(r, csDigits, 12) + "-" + rs(r, csHex, 64)
	}),
	"slack-session-token": with("xoxc-%s", func(r *rand.Rand) string {
		return rs(r, csDigits, 10) + "-" + rs(r, csDigits, 12) + "-" + rs(r, csDigits, 13) + "-" + rs(r, csHex, 64)
	}),
	"slack-webhook-url": func(r *rand.Rand) sample {
		p := "T" + rs(r, csUpperNum, 8) + "/B" + rs(r, csUpperNum, 10) + "/" + mixed(r, csAlnum, 24)
		return sample{text: "SLACK_WEBHOOK=https://hooks.slack.com/services/" + p, secrets: []string{p}}
	},
	"discord-bot-token": with("DISCORD_TOKEN=%s", discordToken),
	"discord-webhook-url": func(r *rand.Rand) sample {
		t := mixed(r, csB64URL, 68)
		return sample{text: "https://discord.com/api/webhooks/1" + rs(r, csDigits, 17) + "/" + t, secrets: []string{t}}
	},
	"telegram-bot-token": func(r *rand.Rand) sample {
		t := "AA" + mixed(r, csB64URL, 33)
		return sample{text: `bot = telebot.TeleBot("7` + rs(r, csDigits, 9) + ":" + t + `")`, secrets: []string{t}}
	},
	"telegram-bot-url": func(r *rand.Rand) sample {
		t := "AA" + mixed(r, csB64URL, 33)
		return sample{text: "curl https://api.telegram.org/bot6" + rs(r, csDigits, 9) + ":" + t + "/getUpdates", secrets: []string{t}}
	},
	"twilio-api-key":    tok("SK", csHex, 32),
	"twilio-auth-token": ctx("TWILIO_AUTH_TOKEN=%s", csHex, 32),
	"sendgrid-api-key": with("SG.%s", func(r *rand.Rand) string {
		return rs(r, csB64URL, 22) + "." + rs(r, csB64URL, 43)
	}),
	"mailgun-api-key": tok("key-", csHex, 32),
	"mailgun-key-named": with("MAILGUN_API_KEY=%s", func(r *rand.Rand) string {
		return rs(r, csHex, 32) + "-" + rs(r, csHex, 8) + "-" + rs(r, csHex, 8)
	}),
	"mailchimp-api-key": with("MAILCHIMP_API_KEY=%s", func(r *rand.Rand) string { return rs(r, csHex, 32) + "-us21" }),
	"teams-webhook-url": func(r *rand.Rand) sample {
		p := uuid(r) + "@" + uuid(r) + "/IncomingWebhook/" + rs(r, csHex, 32) + "/" + uuid(r)
		return sample{text: "https://acme.webhook.office.com/webhookb2/" + p, secrets: []string{p}}
	},
	"brevo-api-key": with("xkeysib-%s", func(r *rand.Rand) string { return rs(r, csHex, 64) + "-" + rs(r, csAlnum, 16) }),
	"resend-api-key": with("re_%s", func(r *rand.Rand) string {
		return rs(r, csAlnum, 8) + "_" + rs(r, csAlnum, 24)
	}),
	"postmark-server-token": with("X-Postmark-Server-Token: %s", uuid),

	// registries
	"npm-access-token":    githubToken("npm_"),
	"npmrc-auth-token":    with("//registry.npmjs.org/:_authToken=%s", uuid),
	"npmrc-basic-auth":    with("registry=https://npm.acme.dev/\n_auth=%s\nalways-auth=true", basicCreds),
	"npmrc-password":      with("//npm.acme.dev/:username=ci\n//npm.acme.dev/:_password=%s", func(r *rand.Rand) string { return base64.StdEncoding.EncodeToString([]byte(password(r))) }),
	"pypi-upload-token":   tok("pypi-AgEIcHlwaS5vcmc", csB64URL, 152),
	"dockerhub-pat":       tok("dckr_pat_", csB64URL, 27),
	"dockerhub-org-token": tok("dckr_oat_", csB64URL, 32),
	"docker-config-auth": func(r *rand.Rand) sample {
		a := basicCreds(r)
		return sample{text: `{
	"auths": {
		"https://index.docker.io/v1/": {
			"auth": "` + a + `"
		}
	}
}`, secrets: []string{a}}
	},
	"rubygems-api-key":      tok("rubygems_", csHex, 48),
	"nuget-api-key":         tok("oy2", csLowerNum, 43),
	"nuget-config-password": with(`<add key="ClearTextPassword" value="%s" />`, password),
	"jfrog-api-key":         tok("AKCp", csAlnum, 69),
	"jfrog-reference-token": tok("cmVmdGtu", csAlnum, 56),
	"clojars-token":         tok("CLOJARS_", csLowerNum, 60),
	"crates-io-token":       tok("cio", csAlnum, 32),

	// infra
	"vault-service-token":  tok("hvs.CAESI", csB64URL, 90),
	"vault-batch-token":    tok("hvb.AAAAAQ", csB64URL, 140),
	"vault-recovery-token": tok("hvr.", csB64URL, 30),
	"vault-legacy-token":   ctx("export VAULT_TOKEN=s.%s", csAlnum, 24),
	"terraform-cloud-token": func(r *rand.Rand) sample {
		t := "atlasv1." + rs(r, csB64URL, 67)
		return sample{text: rs(r, csAlnum, 14) + "." + t, secrets: []string{t}, inline: true}
	},
	"digitalocean-pat":           tok("dop_v1_", csHex, 64),
	"digitalocean-oauth-token":   tok("doo_v1_", csHex, 64),
	"digitalocean-refresh-token": tok("dor_v1_", csHex, 64),
	"heroku-api-key":             tok("HRKU-AA", csB64URL, 58),
	"heroku-legacy-api-key":      with("HEROKU_API_KEY=%s", uuid),
	"databricks-token":           tok("dapi", csHex, 32),
	"cloudflare-user-token":      with("cfut_%s", func(r *rand.Rand) string { return rs(r, csAlnum, 40) + rs(r, csHex, 8) }),
	"cloudflare-account-token": with("cfat_%s", func(r *rand.Rand) string {
		return rs(r, csAlnum, 40) + rs(r, csHex, 8)
	}),
	"cloudflare-global-key":      with("cfk_%s", func(r *rand.Rand) string { return rs(r, csAlnum, 40) + rs(r, csHex, 8) }),
	"cloudflare-api-token-named": ctx("CLOUDFLARE_API_TOKEN=%s", csB64URL, 40),
	"cloudflare-origin-ca-key": with("v1.0-%s", func(r *rand.Rand) string {
		return rs(r, csHex, 24) + "-" + rs(r, csHex, 146)
	}),
	"datadog-api-key":   ctx("DD_API_KEY=%s", csHex, 32),
	"datadog-app-key":   ctx("DD_APP_KEY=%s", csHex, 40),
	"sentry-user-token": tok("sntryu_", csHex, 64),
	"sentry-org-token": func(r *rand.Rand) sample {
		j := fmt.Sprintf(`{"iat":%d.0,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"%s"}`, 1700000000+r.IntN(1e7), rs(r, csLower, 6))
		t := "sntrys_" + base64.StdEncoding.EncodeToString([]byte(j)) + "_" + mixed(r, csB64, 43)
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"sentry-dsn": func(r *rand.Rand) sample {
		k := rs(r, csHex, 32)
		return sample{text: "SENTRY_DSN=https://" + k + "@o" + rs(r, csDigits, 6) + ".ingest.sentry.io/" + rs(r, csDigits, 7), secrets: []string{k}}
	},
	"supabase-pat":            tok("sbp_", csHex, 40),
	"supabase-secret-key":     tok("sb_secret_", csB64URL, 32),
	"vercel-token":            tok("vcp_", csAlnum, 56),
	"vercel-legacy-token":     ctx("VERCEL_TOKEN=%s", csAlnum, 24),
	"planetscale-password":    tok("pscale_pw_", csB64URL, 43),
	"planetscale-token":       tok("pscale_tkn_", csB64URL, 43),
	"planetscale-oauth-token": tok("pscale_oauth_", csB64URL, 43),
	"doppler-token":           tok("dp.st.prd.", csAlnum, 43),
	"grafana-service-account-token": with("glsa_%s", func(r *rand.Rand) string {
		return rs(r, csAlnum, 32) + "_" + rs(r, csHex, 8)
	}),
	"grafana-cloud-token": func(r *rand.Rand) sample {
		j := fmt.Sprintf(`{"o":"%d","n":"stack-%d-token","k":"%s","m":{"r":"prod-us-east-0"}}`, r.IntN(1e6), r.IntN(1e6), rs(r, csAlnum, 24))
		t := "glc_" + base64.StdEncoding.EncodeToString([]byte(j))
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"grafana-api-key": func(r *rand.Rand) sample {
		j := fmt.Sprintf(`{"k":"%s","n":"deploy","id":%d}`, rs(r, csAlnum, 32), r.IntN(100))
		t := base64.StdEncoding.EncodeToString([]byte(j))
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"new-relic-user-key":    tok("NRAK-", csUpperNum, 27),
	"new-relic-insert-key":  tok("NRII-", csB64URL, 32),
	"new-relic-license-key": with("NEW_RELIC_LICENSE_KEY=%s", func(r *rand.Rand) string { return rs(r, csHex, 36) + "NRAL" }),
	"pulumi-access-token":   tok("pul-", csHex, 40),
	"tailscale-key": with("tskey-auth-%s", func(r *rand.Rand) string {
		return rs(r, csAlnum, 12) + "CNTRL-" + rs(r, csAlnum, 33)
	}),
	"netlify-token":   tok("nfp_", csAlnum, 36),
	"render-api-key":  tok("rnd_", csAlnum, 32),
	"fly-io-token":    tok("FlyV1 fm2_lJPECAAAAAAAA", csB64, 300),
	"buildkite-token": tok("bkua_", csHex, 40),
	"circleci-token": with("CCIPAT_%s", func(r *rand.Rand) string {
		return rs(r, csAlnum, 22) + "_" + rs(r, csHex, 40)
	}),
	"sonarqube-token": tok("sqp_", csHex, 40),
	"prefect-api-key": tok("pnu_", csAlnum, 36),

	// saas
	"shopify-access-token":      tok("shpat_", csHex, 32),
	"shopify-custom-app-token":  tok("shpca_", csHex, 32),
	"shopify-private-app-token": tok("shppa_", csHex, 32),
	"shopify-shared-secret":     tok("shpss_", csHex, 32),
	"atlassian-api-token":       atlassianToken("ATATT3xFfGF0", csB64URL, 171, "="),
	"linear-api-key":            tok("lin_api_", csAlnum, 40),
	"linear-oauth-token":        tok("lin_oauth_", csHex, 64),
	"notion-token": with("ntn_%s", func(r *rand.Rand) string {
		return rs(r, csDigits, 11) + mixed(r, csAlnum, 35)
	}),
	"notion-legacy-token": func(r *rand.Rand) sample {
		t := "secret_" + mixed(r, csAlnum, 43)
		return sample{text: "NOTION_TOKEN=" + t, secrets: []string{t}}
	},
	"postman-api-key": with("PMAK-%s", func(r *rand.Rand) string { return rs(r, csHex, 24) + "-" + rs(r, csHex, 34) }),
	"onepassword-service-account": func(r *rand.Rand) sample {
		j := fmt.Sprintf(`{"signInAddress":"acme.1password.com","userAuth":{"method":"SRPg-4096","alg":"PBES2g-HS256","iterations":650000,"salt":"%s"},"email":"%s@acme.1password.com","srpX":"%s","muk":{"alg":"A256GCM","ext":true,"k":"%s","key_ops":["encrypt","decrypt"],"kty":"oct","kid":"mp"},"secretKey":"A3-%s","throttleSecret":{"seed":"%s","deviceUuid":"%s"},"deviceUuid":"%s"}`,
			rs(r, csB64URL, 22), rs(r, csLower, 12), rs(r, csHex, 64), rs(r, csB64URL, 43), rs(r, csUpperNum, 30), rs(r, csHex, 64), rs(r, csLowerNum, 26), rs(r, csLowerNum, 26))
		t := "ops_" + base64.RawStdEncoding.EncodeToString([]byte(j))
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"onepassword-secret-key": with("A3-%s", func(r *rand.Rand) string {
		return rs(r, csUpperNum, 6) + "-" + rs(r, csUpperNum, 11) + "-" + rs(r, csUpperNum, 5) + "-" + rs(r, csUpperNum, 5) + "-" + rs(r, csUpperNum, 5)
	}),
	"hubspot-private-app-token": with("pat-na1-%s", uuid),
	"figma-token":               tok("figd_", csB64URL, 40),
	"mapbox-secret-token": func(r *rand.Rand) sample {
		t := "sk." + b64url(fmt.Sprintf(`{"u":"%s","a":"%s"}`, rs(r, csLower, 8), rs(r, csLowerNum, 25))) + "." + rs(r, csB64URL, 22)
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"contentful-pat": tok("CFPAT-", csB64URL, 43),
	"salesforce-session-id": with("00D%s", func(r *rand.Rand) string {
		return rs(r, csAlnum, 12) + "!" + rs(r, csAlnum+"._", 96)
	}),
	"algolia-admin-key": ctx("ALGOLIA_ADMIN_API_KEY=%s", csHex, 32),

	// keys
	"private-key-rsa": pemSample("RSA PRIVATE KEY", 1190, ""),
	"private-key-rsa-json": func(r *rand.Rand) sample {
		p := fakePEM(r, "RSA PRIVATE KEY", 1190, "")
		lines := strings.Split(p, "\n")
		return sample{text: `{"name": "deploy", "key": "` + strings.ReplaceAll(p, "\n", `\n`) + `\n"}`, secrets: []string{lines[3]}}
	},
	"private-key-rsa-yaml": func(r *rand.Rand) sample {
		p := fakePEM(r, "RSA PRIVATE KEY", 1190, "")
		lines := strings.Split(p, "\n")
		return sample{text: "tls:\n  key: |\n    " + strings.ReplaceAll(p, "\n", "\n    ") + "\n  cert: cert.pem\n", secrets: []string{lines[3]}}
	},
	"private-key-ec":        pemSample("EC PRIVATE KEY", 121, ""),
	"private-key-dsa":       pemSample("DSA PRIVATE KEY", 444, ""),
	"private-key-openssh":   pemSample("OPENSSH PRIVATE KEY", 400, ""),
	"private-key-pkcs8":     pemSample("PRIVATE KEY", 1216, ""),
	"private-key-encrypted": pemSample("ENCRYPTED PRIVATE KEY", 1300, ""),
	"private-key-pgp":       pemSample("PGP PRIVATE KEY BLOCK", 1800, "Version: GnuPG v2\n\n"),
	"private-key-ssh2": func(r *rand.Rand) sample {
		body := b64(r, 900)
		var sb strings.Builder
		sb.WriteString("---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: \"rsa-key-20240101\"\n")
		for len(body) > 70 {
			sb.WriteString(body[:70] + "\n")
			body = body[70:]
		}
		sb.WriteString(body + "\n---- END SSH2 ENCRYPTED PRIVATE KEY ----")
		lines := strings.Split(sb.String(), "\n")
		return sample{text: sb.String(), secrets: []string{lines[4]}}
	},
	"private-key-other": pemSample("X25519 PRIVATE KEY", 48, ""),
	"putty-private-key": func(r *rand.Rand) sample {
		priv := b64(r, 48)
		text := "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: eddsa-key-20240101\nPublic-Lines: 2\n" +
			"AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(r, csB64, 43) + "\n" + rs(r, csB64, 20) + "\nPrivate-Lines: 1\n" + priv +
			"\nPrivate-MAC: " + rs(r, csHex, 64) + "\n"
		return sample{text: text, secrets: []string{priv}}
	},
	"jwk-private-key": func(r *rand.Rand) sample {
		d := rs(r, csB64URL, 43)
		text := `{"crv":"P-256","d":"` + d + `","kty":"EC","x":"` + rs(r, csB64URL, 43) + `","y":"` + rs(r, csB64URL, 43) + `"}`
		return sample{text: text, secrets: []string{d}}
	},
	"age-secret-key": func(r *rand.Rand) sample {
		b := make([]byte, 32)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		t := strings.ToUpper(bech32Encode("age-secret-key-", b))
		return sample{text: "# public key: age1...\n" + t, secrets: []string{t}}
	},
	"jwt": func(r *rand.Rand) sample {
		t := jwtToken(r)
		return sample{text: t, secrets: []string{t}, inline: true}
	},
	"jwt-bearer": with("Authorization: Bearer %s", jwtToken),

	// generic
	"postgres-url-password":      with("DATABASE_URL=postgres://app:%s@db.internal:5432/app?sslmode=require", urlPassword),
	"mysql-url-password":         with("mysql://root:%s@127.0.0.1:3306/shop", urlPassword),
	"mongodb-url-password":       with(`MONGO_URI="mongodb+srv://admin:%s@cluster0.ab1cd.mongodb.net/?retryWrites=true&w=majority"`, urlPassword),
	"redis-url-password":         with("REDIS_URL=redis://:%s@cache:6379/0", urlPassword),
	"amqp-url-password":          with("amqp://worker:%s@rabbit:5672/vhost", urlPassword),
	"mssql-url-password":         with("mssql://sa:%s@sql:1433/app", urlPassword),
	"clickhouse-url-password":    with("clickhouse://default:%s@ch:8123/analytics", urlPassword),
	"jdbc-password":              with("spring.datasource.url=jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=%s;encrypt=true", urlPassword),
	"jdbc-oracle-password":       with("jdbc:oracle:thin:scott/%s@db:1521/ORCL", urlPassword),
	"connection-string-password": with(`"ConnectionStrings": {"Default": "Server=tcp:acme.database.windows.net,1433;Database=app;User ID=admin;Password=%s;Encrypt=True;"}`, password),
	"url-credentials":            with("git clone https://deploy:%s@git.acme.dev/platform/api.git", urlPassword),
	"url-token-userinfo": func(r *rand.Rand) sample {
		t := mixed(r, csAlnum, 40)
		return sample{text: "pip install git+https://" + t + "@git.acme.dev/ml/lib.git", secrets: []string{t}}
	},
	"git-credentials":      with("https://octocat:%s@gitlab.acme.dev\n", urlPassword),
	"authorization-bearer": with("curl -H 'Authorization: Bearer %s' https://api.acme.dev/v1/me", func(r *rand.Rand) string { return mixed(r, csB64URL, 40) }),
	"authorization-basic":  with("Authorization: Basic %s", basicCreds),
	"authorization-token":  with("Authorization: Token %s", func(r *rand.Rand) string { return rs(r, csHex, 40) }),
	"authorization-json": with(`{"url": "https://api.acme.dev", "headers": {"Authorization": "Bearer %s"}}`, func(r *rand.Rand) string {
		return mixed(r, csB64URL, 48)
	}),
	"bearer-token":   with("[debug] retrying request with Bearer %s (attempt 2)", func(r *rand.Rand) string { return mixed(r, csB64URL, 40) }),
	"basic-auth":     with("proxy_set_header X-Upstream-Auth \"Basic %s\";", basicCreds),
	"netrc-password": with("machine api.acme.dev\n  login deploy\n  password %s\n", password),
	"netrc-oneline":  with("machine github.com login octocat password %s", password),
	"k8s-secret-yaml": func(r *rand.Rand) sample {
		a, b := b64(r, 18), b64(r, 24)
		return sample{text: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\n  namespace: prod\ntype: Opaque\ndata:\n  username: YWRtaW4=\n  password: " + a + "\n  api-key: " + b + "\n", secrets: []string{a, b}}
	},
	"k8s-secret-kubectl": func(r *rand.Rand) sample {
		a := b64(r, 21)
		return sample{text: "apiVersion: v1\ndata:\n  token: " + a + "\nkind: Secret\nmetadata:\n  creationTimestamp: \"2026-01-01T00:00:00Z\"\n  name: api-token\n  namespace: default\ntype: Opaque\n", secrets: []string{a}}
	},
	"k8s-secret-json": func(r *rand.Rand) sample {
		a := b64(r, 30)
		return sample{text: `{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}, "type": "Opaque", "data": {"password": "` + a + `"}}`, secrets: []string{a}}
	},
	"k8s-secret-stringdata": func(r *rand.Rand) sample {
		p := password(r)
		return sample{text: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  DB_USER: app\n  DB_PASS: \"" + p + "\"\n", secrets: []string{p}}
	},
	"cli-mysql":               with("mysql -h db.internal -u root -p%s shop < dump.sql", password),
	"cli-sshpass":             with("sshpass -p '%s' ssh deploy@10.0.0.5", password),
	"cli-curl-user":           with("curl -u admin:%s https://jenkins.acme.dev/api/json", urlPassword),
	"cli-docker-login":        with("docker login -u ci -p %s registry.acme.dev", urlPassword),
	"cli-redis":               with("redis-cli -h cache -a %s ping", urlPassword),
	"cli-positional":          with("sudo rabbitmqctl add_user worker %s && rabbitmqctl set_user_tags worker monitoring", urlPassword),
	"sql-password":            with("CREATE USER 'app'@'%' IDENTIFIED BY '%s';", password),
	"powershell-securestring": with(`$pw = ConvertTo-SecureString "%s" -AsPlainText -Force`, password),
	"password-env":            with("DB_PASSWORD=%s", password),
	"password-line-start":     with("password: %s\nusername: admin\n", password),
	"password-yaml":           with("database:\n  host: db\n  user: app\n  password: %s\n", password),
	"password-json":           with(`{"username": "app", "password": "%s"}`, password),
	"password-code":           with(`conn = psycopg2.connect(host="db", user="app", password="%s")`, password),
	"password-k8s-env":        with("env:\n  - name: POSTGRES_PASSWORD\n    value: \"%s\"\n", password),
	"password-xml":            with("<server>\n  <id>nexus</id>\n  <username>ci</username>\n  <password>%s</password>\n</server>", password),
	"password-cli-flag":       with("./migrate --db-password %s --verbose", password),
	"password-terraform":      with("variable \"db_password\" {\n  type    = string\n  default = \"%s\"\n}", password),
	"password-passphrase": func(r *rand.Rand) sample {
		words := []string{"granite", "lantern", "walrus", "pebble", "orchid", "tundra", "cobalt", "willow", "fjord", "quill"}
		w := func() string { return words[r.IntN(len(words))] }
		p := w() + " " + w() + " " + w() + " " + w()
		q := w() + "-" + w() + "-" + w() + "-" + w() + fmt.Sprint(r.IntN(100))
		d := w() + "." + w() + "." + fmt.Sprint(1000+r.IntN(9000))
		return sample{text: "SMTP_PASSWORD=\"" + p + "\"\nWIFI_PSK=" + q + "\nBACKUP_PASSPHRASE=" + p + "\nDB_PASS=" + d + "\n", secrets: []string{p, q, d}}
	},
	"password-prose-words": func(r *rand.Rand) sample {
		p := mixed(r, csAlnum, 18)
		return sample{text: "Also the password for the staging DB is now " + p + " — can you update the runbook?", secrets: []string{p}}
	},
	"login-call": func(r *rand.Rand) sample {
		p, q := password(r), mixed(r, csAlnum, 20)
		return sample{text: "with smtplib.SMTP_SSL(host) as smtp:\n    smtp.login(cfg.user, \"" + p + "\")\nr = requests.get(url, auth=('ci', '" + q + "'))\n", secrets: []string{p, q}}
	},
	"secret-store-output": func(r *rand.Rand) sample {
		p := password(r)
		return sample{text: "$ kubectl -n prod get secret api-db -o jsonpath='{.data.password}' | base64 -d\n" + p + "\n$ ", secrets: []string{p}}
	},
	"sql-insert-secret": func(r *rand.Rand) sample {
		p, q := rs(r, csHex, 64), mixed(r, csB64URL, 40)
		return sample{text: "INSERT INTO api_clients (name, client_id, `client_secret`) VALUES\n  ('mobile', 'app-1', '" + p + "'),\n  ('web', NULL, '" + q + "');\n", secrets: []string{p, q}}
	},
	"password-prose": func(r *rand.Rand) sample {
		p := mixed(r, csAlnum, 14)
		return sample{text: "The staging admin password is " + p + ", please rotate it after the demo.", secrets: []string{p}}
	},
	"password-md-table": func(r *rand.Rand) sample {
		p, q := mixed(r, csPassword, 16), mixed(r, csAlnum, 20)
		return sample{
			text:    "| host | login | Password |\n|:---|---|---|\n| db01 | admin | " + p + " |\n| `mq` | ops | `" + q + "` |\n\nDone.",
			secrets: []string{p, q},
		}
	},
	"secret-env":            ctx("JWT_SECRET=%s", csAlnum, 48),
	"secret-yaml":           ctx("oauth:\n  client_id: web\n  client_secret: %s\n", csB64URL, 40),
	"secret-json":           ctx(`{"client_id": "1234-abc.apps.googleusercontent.com", "client_secret": "%s"}`, csB64URL, 32),
	"secret-code":           ctx(`app.config["SECRET_KEY"] = "%s"`, csHex, 64),
	"token-env":             ctx("export API_TOKEN=%s", csAlnum, 40),
	"token-line-start":      ctx("token: %s\n", csB64URL, 40),
	"token-json":            ctx(`{"access_token": "%s", "token_type": "Bearer", "expires_in": 3600}`, csB64URL, 64),
	"token-header":          ctx("X-Auth-Token: %s", csHex, 40),
	"token-code":            ctx(`const accessToken = "%s";`, csAlnum, 40),
	"api-key-env":           ctx("OPENWEATHER_API_KEY=%s", csHex, 32),
	"api-key-json":          ctx(`{"service": "maps", "apiKey": "%s"}`, csAlnum, 32),
	"api-key-header":        ctx("x-api-key: %s", csAlnum, 40),
	"api-key-xml":           ctx(`<add key="ApiKey" value="%s" />`, csAlnum, 32),
	"key-env":               with("ENCRYPTION_KEY=%s", func(r *rand.Rand) string { return b64(r, 32) }),
	"key-wireguard":         with("[Interface]\nPrivateKey = %s\nAddress = 10.8.0.2/32\n", func(r *rand.Rand) string { return b64(r, 32) }),
	"key-laravel":           with("APP_KEY=base64:%s", func(r *rand.Rand) string { return b64(r, 32) }),
	"credential-assignment": ctx(`credentials = "%s"`, csAlnum, 40),
	"bare-key-json":         ctx(`{"username":"danaw","key":"%s"}`, csAlnum, 40),
	"bare-key-ini":          ctx("[b2]\ntype = b2\naccount = 0012ab\nkey = %s\n", csAlnum, 31),
	"session-cookie":        ctx("Cookie: session=%s; theme=dark", csB64URL, 43),
	"pgpass-password":       with("db.internal:5432:app:app_user:%s\n", password),
	"uuid-token-named":      with("CONSUL_HTTP_TOKEN=%s", uuid),
}
