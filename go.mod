module github.com/hushproxy/hush

go 1.26.0

require (
	github.com/cloudflare/ahocorasick v0.0.0-20240916140611-054963ec9396 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
