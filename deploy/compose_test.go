// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package deploy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const composeDir = "compose"

type composeService struct {
	Image string `yaml:"image"`
	Build *struct {
		Context    string `yaml:"context"`
		Dockerfile string `yaml:"dockerfile"`
	} `yaml:"build"`
	Command     []string          `yaml:"command"`
	Ports       []string          `yaml:"ports"`
	Volumes     []string          `yaml:"volumes"`
	Environment map[string]string `yaml:"environment"`
	ReadOnly    bool              `yaml:"read_only"`
	CapDrop     []string          `yaml:"cap_drop"`
	SecurityOpt []string          `yaml:"security_opt"`
}

type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type promConfig struct {
	RuleFiles     []string `yaml:"rule_files"`
	ScrapeConfigs []struct {
		JobName       string `yaml:"job_name"`
		MetricsPath   string `yaml:"metrics_path"`
		StaticConfigs []struct {
			Targets []string `yaml:"targets"`
		} `yaml:"static_configs"`
	} `yaml:"scrape_configs"`
}

type grafanaDatasource struct {
	Type      string `yaml:"type"`
	URL       string `yaml:"url"`
	IsDefault bool   `yaml:"isDefault"`
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	c := decodeOne[composeFile](t, filepath.Join(composeDir, "compose.yaml"))
	for _, name := range []string{"hush", "prometheus", "grafana"} {
		if _, ok := c.Services[name]; !ok {
			t.Fatalf("compose.yaml has no %s service", name)
		}
	}
	return c
}

// hostPath maps a path inside a service's container to the file on the host
// that a bind mount puts there. ok is false for paths not bind-mounted.
func hostPath(t *testing.T, c composeFile, svc composeService, inside string) (string, bool) {
	t.Helper()
	best, bestLen := "", -1
	for _, v := range svc.Volumes {
		parts := strings.Split(v, ":")
		if len(parts) < 2 {
			continue
		}
		src, dst := parts[0], parts[1]
		if _, named := c.Volumes[src]; named {
			continue
		}
		if under(inside, dst) && len(dst) > bestLen {
			rel, _ := filepath.Rel(dst, inside)
			best, bestLen = filepath.Join(composeDir, src, rel), len(dst)
		}
	}
	return best, bestLen >= 0
}

func TestComposeMountsExist(t *testing.T) {
	c := loadCompose(t)
	for name, svc := range c.Services {
		for _, v := range svc.Volumes {
			src, _, ok := strings.Cut(v, ":")
			if !ok {
				t.Errorf("%s: volume %q has no target", name, v)
				continue
			}
			if _, named := c.Volumes[src]; named {
				continue
			}
			if _, err := os.Stat(filepath.Join(composeDir, src)); err != nil {
				t.Errorf("%s: bind mount source %s: %v", name, src, err)
			}
		}
		// Everything is for this machine only: publish on loopback.
		for _, p := range svc.Ports {
			if !strings.HasPrefix(p, "127.0.0.1:") {
				t.Errorf("%s: port %q is published beyond the host's loopback", name, p)
			}
		}
	}
}

func TestComposeHush(t *testing.T) {
	c := loadCompose(t)
	svc := c.Services["hush"]
	if svc.Build == nil {
		t.Fatal("the hush service is not built from the Dockerfile")
	}
	if _, err := os.Stat(filepath.Join(composeDir, svc.Build.Context, "Dockerfile")); err != nil {
		t.Errorf("build context %s: %v", svc.Build.Context, err)
	}
	if len(svc.Command) == 0 || svc.Command[0] != "serve" {
		t.Fatalf("command %v, want serve ...", svc.Command)
	}
	admin, _ := flagValue(svc.Command, "--admin")
	if portOf(admin) != adminPort || isLoopback(hostOf(admin)) {
		t.Errorf("--admin %q: Prometheus in another container scrapes port %s", admin, adminPort)
	}
	if !svc.ReadOnly || !slices.Contains(svc.CapDrop, "ALL") || !slices.Contains(svc.SecurityOpt, "no-new-privileges:true") {
		t.Error("hush must run read_only, with cap_drop ALL and no-new-privileges")
	}

	// Its config turns on authentication, which a 0.0.0.0 listener needs,
	// from a file that is mounted.
	cfgPath, ok := flagValue(svc.Command, "--config")
	if !ok {
		t.Fatal("hush serve has no --config")
	}
	host, ok := hostPath(t, c, svc, cfgPath)
	if !ok {
		t.Fatalf("--config %s is not bind-mounted", cfgPath)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(readFile(t, host))))
	dec.KnownFields(true)
	var cfg hushConfig
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf("%s: %v", host, err)
	}
	listen, _ := flagValue(svc.Command, "--listen")
	if !isLoopback(hostOf(listen)) && cfg.Auth.Htpasswd == "" {
		t.Errorf("--listen %s without auth.htpasswd in %s: hush refuses an open proxy", listen, host)
	}
	mounted := false
	for _, v := range svc.Volumes {
		parts := strings.Split(v, ":")
		mounted = mounted || (len(parts) >= 2 && under(cfg.Auth.Htpasswd, parts[1]))
	}
	if !mounted {
		t.Errorf("auth.htpasswd %s is not on a mounted volume", cfg.Auth.Htpasswd)
	}
}

func TestComposePrometheus(t *testing.T) {
	c := loadCompose(t)
	svc := c.Services["prometheus"]
	cfgInside := ""
	for _, a := range svc.Command {
		if v, ok := strings.CutPrefix(a, "--config.file="); ok {
			cfgInside = v
		}
	}
	host, ok := hostPath(t, c, svc, cfgInside)
	if cfgInside == "" || !ok {
		t.Fatalf("prometheus' --config.file %q is not bind-mounted", cfgInside)
	}
	if filepath.Clean(host) != filepath.Clean(prometheusFile) {
		t.Errorf("compose's Prometheus reads %s, want %s", host, prometheusFile)
	}
	cfg := decodeOne[promConfig](t, host)
	found := false
	for _, sc := range cfg.ScrapeConfigs {
		if sc.JobName != "hush" {
			continue
		}
		found = true
		if sc.MetricsPath != "" && sc.MetricsPath != "/metrics" {
			t.Errorf("job hush scrapes %s, want /metrics", sc.MetricsPath)
		}
		for _, s := range sc.StaticConfigs {
			for _, target := range s.Targets {
				if _, ok := c.Services[hostOf(target)]; !ok || portOf(target) != adminPort {
					t.Errorf("job hush target %s, want a compose service on the admin port %s", target, adminPort)
				}
			}
		}
	}
	if !found {
		t.Error(`no scrape job "hush" (the alert rules select job="hush")`)
	}
	// The rules the config loads are the ones promtool checks.
	for _, rf := range cfg.RuleFiles {
		matches, _ := filepath.Glob(filepath.Join(filepath.Dir(host), rf))
		if len(matches) == 0 {
			t.Errorf("rule_files %s matches nothing", rf)
		}
	}
	if len(cfg.RuleFiles) == 0 {
		t.Error("prometheus.yml loads no rule files")
	}
}

func TestComposeGrafana(t *testing.T) {
	c := loadCompose(t)
	svc := c.Services["grafana"]
	provisioning, ok := hostPath(t, c, svc, "/etc/grafana/provisioning")
	if !ok {
		t.Fatal("Grafana's /etc/grafana/provisioning is not bind-mounted")
	}

	var sources []grafanaDatasource
	dsFiles, _ := filepath.Glob(filepath.Join(provisioning, "datasources", "*.yaml"))
	if len(dsFiles) == 0 {
		t.Fatal("no data source is provisioned")
	}
	for _, f := range dsFiles {
		sources = append(sources, decodeOne[struct {
			Datasources []grafanaDatasource `yaml:"datasources"`
		}](t, f).Datasources...)
	}
	if !slices.ContainsFunc(sources, func(d grafanaDatasource) bool {
		_, isService := c.Services[hostOf(strings.TrimPrefix(d.URL, "http://"))]
		return d.Type == "prometheus" && d.IsDefault && isService
	}) {
		t.Errorf("no default prometheus data source pointing at a compose service: %+v", sources)
	}

	dbFiles, _ := filepath.Glob(filepath.Join(provisioning, "dashboards", "*.yaml"))
	if len(dbFiles) == 0 {
		t.Fatal("no dashboard provider is provisioned")
	}
	loaded := false
	for _, f := range dbFiles {
		p := decodeOne[struct {
			Providers []struct {
				Options struct {
					Path string `yaml:"path"`
				} `yaml:"options"`
			} `yaml:"providers"`
		}](t, f)
		for _, pr := range p.Providers {
			dir, ok := hostPath(t, c, svc, pr.Options.Path)
			if !ok {
				t.Errorf("%s: dashboards path %s is not mounted", f, pr.Options.Path)
				continue
			}
			if _, err := os.Stat(filepath.Join(dir, filepath.Base(dashboardFile))); err == nil &&
				filepath.Clean(filepath.Join(dir, filepath.Base(dashboardFile))) == filepath.Clean(dashboardFile) {
				loaded = true
			}
		}
	}
	if !loaded {
		t.Errorf("no dashboard provider loads %s", dashboardFile)
	}
	if home := svc.Environment["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]; home != "" {
		if h, ok := hostPath(t, c, svc, home); !ok || filepath.Clean(h) != filepath.Clean(dashboardFile) {
			t.Errorf("the home dashboard %s is not %s", home, dashboardFile)
		}
	}
}
