module github.com/hushproxy/hush

go 1.26.0
