// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package deploy

import (
	"fmt"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const kustomizeDir = "kubernetes"

// manifest is one Kubernetes object: its header, and the document to decode
// into the struct of its kind.
type manifest struct {
	file       string
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name      string            `yaml:"name"`
		Namespace string            `yaml:"namespace"`
		Labels    map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
	node yaml.Node
}

func (m manifest) String() string { return fmt.Sprintf("%s %s (%s)", m.Kind, m.Metadata.Name, m.file) }

// decode decodes the whole object into v.
func (m manifest) decode(t *testing.T, v any) {
	t.Helper()
	if err := m.node.Decode(v); err != nil {
		t.Fatalf("%s: %v", m, err)
	}
}

// loadManifests reads every resource listed in kustomization.yaml.
func loadManifests(t *testing.T) []manifest {
	t.Helper()
	k := decodeOne[struct {
		Resources []string `yaml:"resources"`
	}](t, filepath.Join(kustomizeDir, "kustomization.yaml"))
	if len(k.Resources) == 0 {
		t.Fatal("kustomization.yaml lists no resources")
	}
	var ms []manifest
	for _, r := range k.Resources {
		name := filepath.Join(kustomizeDir, r)
		for _, node := range decodeYAML[yaml.Node](t, name, readFile(t, name)) {
			var m manifest
			if err := node.Decode(&m); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			m.file, m.node = name, node
			if m.APIVersion == "" || m.Kind == "" || m.Metadata.Name == "" {
				t.Fatalf("%s: a document without apiVersion, kind or metadata.name", name)
			}
			ms = append(ms, m)
		}
	}
	return ms
}

// only returns the single manifest of kind, failing if there is not exactly one.
func only(t *testing.T, ms []manifest, kind string) manifest {
	t.Helper()
	var found []manifest
	for _, m := range ms {
		if m.Kind == kind {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("found %d %s objects, want 1", len(found), kind)
	}
	return found[0]
}

// The subset of the Kubernetes API that the tests look at. yaml.v3 ignores
// the rest; kubectl and the API server check the full schema.
type (
	selector struct {
		MatchLabels map[string]string `yaml:"matchLabels"`
	}
	securityContext struct {
		RunAsNonRoot             *bool  `yaml:"runAsNonRoot"`
		RunAsUser                *int64 `yaml:"runAsUser"`
		ReadOnlyRootFilesystem   *bool  `yaml:"readOnlyRootFilesystem"`
		AllowPrivilegeEscalation *bool  `yaml:"allowPrivilegeEscalation"`
		Privileged               *bool  `yaml:"privileged"`
		Capabilities             struct {
			Add  []string `yaml:"add"`
			Drop []string `yaml:"drop"`
		} `yaml:"capabilities"`
		SeccompProfile struct {
			Type string `yaml:"type"`
		} `yaml:"seccompProfile"`
	}
	probe struct {
		HTTPGet *struct {
			Path string `yaml:"path"`
			Port string `yaml:"port"` // a name or a number
		} `yaml:"httpGet"`
	}
	container struct {
		Name  string   `yaml:"name"`
		Image string   `yaml:"image"`
		Args  []string `yaml:"args"`
		Env   []struct {
			Name  string `yaml:"name"`
			Value string `yaml:"value"`
		} `yaml:"env"`
		Ports []struct {
			Name          string `yaml:"name"`
			ContainerPort int    `yaml:"containerPort"`
		} `yaml:"ports"`
		ReadinessProbe *probe `yaml:"readinessProbe"`
		LivenessProbe  *probe `yaml:"livenessProbe"`
		Resources      struct {
			Requests map[string]string `yaml:"requests"`
			Limits   map[string]string `yaml:"limits"`
		} `yaml:"resources"`
		SecurityContext securityContext `yaml:"securityContext"`
		VolumeMounts    []struct {
			Name      string `yaml:"name"`
			MountPath string `yaml:"mountPath"`
			SubPath   string `yaml:"subPath"`
			ReadOnly  bool   `yaml:"readOnly"`
		} `yaml:"volumeMounts"`
	}
	keyPath struct {
		Key  string `yaml:"key"`
		Path string `yaml:"path"`
	}
	volume struct {
		Name   string `yaml:"name"`
		Secret *struct {
			SecretName  string    `yaml:"secretName"`
			DefaultMode *int      `yaml:"defaultMode"`
			Items       []keyPath `yaml:"items"`
			Optional    *bool     `yaml:"optional"`
		} `yaml:"secret"`
		ConfigMap *struct {
			Name  string    `yaml:"name"`
			Items []keyPath `yaml:"items"`
		} `yaml:"configMap"`
		EmptyDir *struct{} `yaml:"emptyDir"`
	}
	deployment struct {
		Spec struct {
			Replicas *int     `yaml:"replicas"`
			Selector selector `yaml:"selector"`
			Template struct {
				Metadata struct {
					Labels map[string]string `yaml:"labels"`
				} `yaml:"metadata"`
				Spec struct {
					AutomountServiceAccountToken *bool           `yaml:"automountServiceAccountToken"`
					HostNetwork                  bool            `yaml:"hostNetwork"`
					HostPID                      bool            `yaml:"hostPID"`
					SecurityContext              securityContext `yaml:"securityContext"`
					Containers                   []container     `yaml:"containers"`
					InitContainers               []container     `yaml:"initContainers"`
					Volumes                      []volume        `yaml:"volumes"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	hpaMetric struct {
		Type     string `yaml:"type"`
		Resource struct {
			Name string `yaml:"name"`
		} `yaml:"resource"`
	}
	// hushConfig is the part of hush's config.yaml that deployment cares about.
	hushConfig struct {
		CA struct {
			Cert string `yaml:"cert"`
			Key  string `yaml:"key"`
		} `yaml:"ca"`
		PlaceholderKey string `yaml:"placeholder_key"`
		Auth           struct {
			Htpasswd string `yaml:"htpasswd"`
		} `yaml:"auth"`
		Limits struct {
			MaxConnsPerClient int `yaml:"max_conns_per_client"`
			RequestsPerSecond int `yaml:"requests_per_second"`
			Burst             int `yaml:"burst"`
		} `yaml:"limits"`
	}
)

// subset reports whether every label in sel is in labels, and sel is not empty.
func subset(sel, labels map[string]string) bool {
	if len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func loadDeployment(t *testing.T, ms []manifest) (deployment, container) {
	t.Helper()
	var d deployment
	only(t, ms, "Deployment").decode(t, &d)
	cs := d.Spec.Template.Spec.Containers
	i := slices.IndexFunc(cs, func(c container) bool { return c.Name == "hush" })
	if i < 0 {
		t.Fatal("the Deployment has no container named hush")
	}
	return d, cs[i]
}

func TestKubernetesManifestsParse(t *testing.T) {
	ms := loadManifests(t)
	var got []string
	for _, m := range ms {
		got = append(got, m.Kind)
	}
	sort.Strings(got)
	for _, want := range []string{
		"ConfigMap", "Deployment", "HorizontalPodAutoscaler", "NetworkPolicy",
		"PodDisruptionBudget", "PrometheusRule", "Service", "ServiceMonitor",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("kinds = %v, want a %s", got, want)
		}
	}
	// A Secret with key material must never be in the base: the keys are made
	// once, outside git.
	for _, m := range ms {
		if m.Kind == "Secret" {
			t.Errorf("%s: the base must reference Secrets, not hold them", m)
		}
	}
}

func TestKubernetesDeploymentHardening(t *testing.T) {
	ms := loadManifests(t)
	d, c := loadDeployment(t, ms)
	pod := d.Spec.Template.Spec

	if d.Spec.Replicas == nil || *d.Spec.Replicas < 2 {
		t.Errorf("replicas = %s, want >= 2", fmtPtr(d.Spec.Replicas))
	}
	if pod.HostNetwork || pod.HostPID {
		t.Error("the pod must not use the host's network or PID namespace")
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("automountServiceAccountToken must be false: hush never calls the API server")
	}
	if !subset(d.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels) {
		t.Errorf("selector %v does not select the pod labels %v", d.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels)
	}

	for _, c := range append(slices.Clone(pod.Containers), pod.InitContainers...) {
		t.Run(c.Name, func(t *testing.T) {
			checkContainerSecurity(t, pod.SecurityContext, c.SecurityContext)
		})
	}

	// Resources: the HPA needs a CPU request, and a memory limit bounds a pod.
	for _, r := range []string{"cpu", "memory"} {
		if c.Resources.Requests[r] == "" {
			t.Errorf("resources.requests.%s is not set", r)
		}
	}
	if c.Resources.Limits["memory"] == "" {
		t.Error("resources.limits.memory is not set")
	}
}

// checkContainerSecurity checks a container's effective security context:
// its own settings, falling back to the pod's where Kubernetes does.
func checkContainerSecurity(t *testing.T, pod, c securityContext) {
	t.Helper()
	pick := func(c, p *bool) *bool {
		if c != nil {
			return c
		}
		return p
	}
	if v := pick(c.RunAsNonRoot, pod.RunAsNonRoot); v == nil || !*v {
		t.Error("runAsNonRoot must be true")
	}
	uid := c.RunAsUser
	if uid == nil {
		uid = pod.RunAsUser
	}
	if uid != nil && *uid == 0 {
		t.Error("runAsUser must not be 0")
	}
	if c.ReadOnlyRootFilesystem == nil || !*c.ReadOnlyRootFilesystem {
		t.Error("readOnlyRootFilesystem must be true")
	}
	if c.AllowPrivilegeEscalation == nil || *c.AllowPrivilegeEscalation {
		t.Error("allowPrivilegeEscalation must be false")
	}
	if c.Privileged != nil && *c.Privileged {
		t.Error("privileged must not be true")
	}
	if !slices.Contains(c.Capabilities.Drop, "ALL") {
		t.Errorf("capabilities.drop = %v, want ALL", c.Capabilities.Drop)
	}
	if len(c.Capabilities.Add) > 0 {
		t.Errorf("capabilities.add = %v, want none", c.Capabilities.Add)
	}
	if c.SeccompProfile.Type != "RuntimeDefault" && pod.SeccompProfile.Type != "RuntimeDefault" {
		t.Error("seccompProfile.type must be RuntimeDefault (on the pod or the container)")
	}
}

func TestKubernetesProbesOnAdminPort(t *testing.T) {
	_, c := loadDeployment(t, loadManifests(t))

	admin, ok := flagValue(c.Args, "--admin")
	if !ok || portOf(admin) != adminPort {
		t.Fatalf("args %v: --admin = %q, want port %s", c.Args, admin, adminPort)
	}
	listen, ok := flagValue(c.Args, "--listen")
	if !ok || portOf(listen) != proxyPort {
		t.Fatalf("args %v: --listen = %q, want port %s", c.Args, listen, proxyPort)
	}
	if c.Args[0] != "serve" {
		t.Errorf("args = %v, want hush serve", c.Args)
	}
	// The kubelet probes the pod IP, so admin must not be loopback-only.
	if isLoopback(hostOf(admin)) {
		t.Errorf("--admin %s is loopback: the kubelet cannot reach the probes", admin)
	}

	// resolve turns a probe's port (a name or a number) into a number.
	resolve := func(port string) string {
		for _, p := range c.Ports {
			if p.Name == port {
				return fmt.Sprint(p.ContainerPort)
			}
		}
		return port
	}
	tests := []struct {
		name  string
		probe *probe
		paths []string
	}{
		{"readinessProbe", c.ReadinessProbe, []string{"/readyz", "/healthz"}},
		{"livenessProbe", c.LivenessProbe, []string{"/healthz"}},
	}
	for _, tt := range tests {
		if tt.probe == nil || tt.probe.HTTPGet == nil {
			t.Errorf("%s: want an httpGet probe", tt.name)
			continue
		}
		if got := resolve(tt.probe.HTTPGet.Port); got != adminPort {
			t.Errorf("%s: port %q is %s, want the admin port %s", tt.name, tt.probe.HTTPGet.Port, got, adminPort)
		}
		if !slices.Contains(tt.paths, tt.probe.HTTPGet.Path) {
			t.Errorf("%s: path %q, want one of %v", tt.name, tt.probe.HTTPGet.Path, tt.paths)
		}
	}
}

// mountedFile says where a file path inside the container comes from.
type mountedFile struct {
	volume volume
	rel    string // the path relative to the mount
}

// sourceOf finds the volume that serves path in container c.
func sourceOf(t *testing.T, c container, vols []volume, p string) (mountedFile, bool) {
	t.Helper()
	best := -1
	for i, m := range c.VolumeMounts {
		if under(p, m.MountPath) && (best < 0 || len(m.MountPath) > len(c.VolumeMounts[best].MountPath)) {
			best = i
		}
	}
	if best < 0 {
		return mountedFile{}, false
	}
	m := c.VolumeMounts[best]
	i := slices.IndexFunc(vols, func(v volume) bool { return v.Name == m.Name })
	if i < 0 {
		t.Fatalf("volumeMount %q names no volume", m.Name)
	}
	rel, _ := filepath.Rel(m.MountPath, p)
	if m.SubPath != "" {
		rel = path.Join(m.SubPath, rel)
	}
	return mountedFile{volume: vols[i], rel: rel}, true
}

// loadHushConfig returns the config.yaml that --config names, from its ConfigMap.
func loadHushConfig(t *testing.T, ms []manifest, c container, vols []volume) hushConfig {
	t.Helper()
	cfgPath, ok := flagValue(c.Args, "--config")
	if !ok {
		t.Fatal("hush serve has no --config: the keys' paths come from config.yaml")
	}
	src, ok := sourceOf(t, c, vols, cfgPath)
	if !ok || src.volume.ConfigMap == nil {
		t.Fatalf("--config %s is not mounted from a ConfigMap", cfgPath)
	}
	var cm struct {
		Data map[string]string `yaml:"data"`
	}
	found := false
	for _, m := range ms {
		if m.Kind == "ConfigMap" && m.Metadata.Name == src.volume.ConfigMap.Name {
			m.decode(t, &cm)
			found = true
		}
	}
	if !found {
		t.Fatalf("ConfigMap %q is not in the base", src.volume.ConfigMap.Name)
	}
	text, ok := cm.Data[src.rel]
	if !ok {
		t.Fatalf("ConfigMap %q has no key %q", src.volume.ConfigMap.Name, src.rel)
	}
	var cfg hushConfig
	dec := yaml.NewDecoder(strings.NewReader(text))
	dec.KnownFields(true) // a misspelt key would silently fall back to a default
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf("config.yaml in ConfigMap %q: %v", src.volume.ConfigMap.Name, err)
	}
	return cfg
}

func TestKubernetesSharedKeysFromSecret(t *testing.T) {
	ms := loadManifests(t)
	d, c := loadDeployment(t, ms)
	vols := d.Spec.Template.Spec.Volumes
	cfg := loadHushConfig(t, ms, c, vols)

	// Every replica must read the same CA and placeholder key, so they must
	// come from one Secret, never from a per-pod volume that hush would fill
	// with fresh keys.
	secrets := map[string]bool{}
	for _, f := range []struct{ what, path string }{
		{"ca.cert", cfg.CA.Cert},
		{"ca.key", cfg.CA.Key},
		{"placeholder_key", cfg.PlaceholderKey},
	} {
		if f.path == "" {
			t.Errorf("config.yaml sets no %s", f.what)
			continue
		}
		src, ok := sourceOf(t, c, vols, f.path)
		if !ok || src.volume.Secret == nil {
			t.Errorf("%s %s is not mounted from a Secret", f.what, f.path)
			continue
		}
		s := src.volume.Secret
		secrets[s.SecretName] = true
		if s.Optional != nil && *s.Optional {
			t.Errorf("%s: Secret %q is optional; a pod without it would make its own keys", f.what, s.SecretName)
		}
		if len(s.Items) > 0 && !slices.ContainsFunc(s.Items, func(k keyPath) bool { return k.Path == src.rel }) {
			t.Errorf("%s %s: Secret %q projects no item at %q", f.what, f.path, s.SecretName, src.rel)
		}
		if s.DefaultMode != nil && *s.DefaultMode&0o007 != 0 {
			t.Errorf("Secret %q: defaultMode %#o lets other users read the keys", s.SecretName, *s.DefaultMode)
		}
	}
	if len(secrets) != 1 {
		t.Errorf("the keys come from Secrets %v, want one Secret for all of them", secrets)
	}

	// hush listens beyond loopback here, so it needs proxy authentication,
	// and its htpasswd must come from a Secret too.
	listen, _ := flagValue(c.Args, "--listen")
	if !isLoopback(hostOf(listen)) {
		if cfg.Auth.Htpasswd == "" {
			t.Errorf("--listen %s without auth.htpasswd: hush refuses an open proxy", listen)
		} else if src, ok := sourceOf(t, c, vols, cfg.Auth.Htpasswd); !ok || src.volume.Secret == nil {
			t.Errorf("auth.htpasswd %s is not mounted from a Secret", cfg.Auth.Htpasswd)
		}
	}
	if cfg.Limits.MaxConnsPerClient <= 0 || cfg.Limits.RequestsPerSecond <= 0 || cfg.Limits.Burst < cfg.Limits.RequestsPerSecond {
		t.Errorf("limits = %+v, want positive limits with burst >= requests_per_second", cfg.Limits)
	}

	// The root filesystem is read-only, so HUSH_HOME must be a writable mount.
	for _, e := range c.Env {
		if e.Name != "HUSH_HOME" {
			continue
		}
		src, ok := sourceOf(t, c, vols, e.Value)
		if !ok || src.volume.EmptyDir == nil {
			t.Errorf("HUSH_HOME %s is not a writable emptyDir mount", e.Value)
		}
	}
}

func TestKubernetesServiceAndPolicies(t *testing.T) {
	ms := loadManifests(t)
	d, c := loadDeployment(t, ms)
	podLabels := d.Spec.Template.Metadata.Labels
	portName := map[int]string{}
	for _, p := range c.Ports {
		portName[p.ContainerPort] = p.Name
	}

	var svc struct {
		Spec struct {
			Selector map[string]string `yaml:"selector"`
			Ports    []struct {
				Name       string `yaml:"name"`
				Port       int    `yaml:"port"`
				TargetPort string `yaml:"targetPort"`
			} `yaml:"ports"`
		} `yaml:"spec"`
	}
	svcM := only(t, ms, "Service")
	svcM.decode(t, &svc)
	if !subset(svc.Spec.Selector, podLabels) {
		t.Errorf("Service selector %v does not select the pods %v", svc.Spec.Selector, podLabels)
	}
	svcPortTarget := map[string]string{}
	for _, p := range svc.Spec.Ports {
		svcPortTarget[p.Name] = p.TargetPort
	}

	var hpa struct {
		Spec struct {
			ScaleTargetRef struct {
				Kind string `yaml:"kind"`
				Name string `yaml:"name"`
			} `yaml:"scaleTargetRef"`
			MinReplicas int         `yaml:"minReplicas"`
			MaxReplicas int         `yaml:"maxReplicas"`
			Metrics     []hpaMetric `yaml:"metrics"`
		} `yaml:"spec"`
	}
	hpaM := only(t, ms, "HorizontalPodAutoscaler")
	hpaM.decode(t, &hpa)
	if hpaM.APIVersion != "autoscaling/v2" {
		t.Errorf("HPA apiVersion %s, want autoscaling/v2", hpaM.APIVersion)
	}
	dep := only(t, ms, "Deployment")
	if hpa.Spec.ScaleTargetRef.Kind != "Deployment" || hpa.Spec.ScaleTargetRef.Name != dep.Metadata.Name {
		t.Errorf("HPA targets %+v, want Deployment %s", hpa.Spec.ScaleTargetRef, dep.Metadata.Name)
	}
	if hpa.Spec.MinReplicas < 2 || hpa.Spec.MaxReplicas < hpa.Spec.MinReplicas {
		t.Errorf("HPA replicas %d..%d, want min >= 2 and max >= min", hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas)
	}
	if !slices.ContainsFunc(hpa.Spec.Metrics, func(m hpaMetric) bool {
		return m.Type == "Resource" && m.Resource.Name == "cpu"
	}) {
		t.Error("the HPA does not scale on CPU")
	}

	var pdb struct {
		Spec struct {
			MinAvailable   *int     `yaml:"minAvailable"`
			MaxUnavailable *int     `yaml:"maxUnavailable"`
			Selector       selector `yaml:"selector"`
		} `yaml:"spec"`
	}
	only(t, ms, "PodDisruptionBudget").decode(t, &pdb)
	if !subset(pdb.Spec.Selector.MatchLabels, podLabels) {
		t.Errorf("PDB selector %v does not select the pods", pdb.Spec.Selector.MatchLabels)
	}
	switch {
	case pdb.Spec.MinAvailable != nil:
		// It must keep one up, yet still allow a drain at the minimum size.
		if *pdb.Spec.MinAvailable < 1 || *pdb.Spec.MinAvailable >= hpa.Spec.MinReplicas {
			t.Errorf("PDB minAvailable %d, want 1..%d", *pdb.Spec.MinAvailable, hpa.Spec.MinReplicas-1)
		}
	case pdb.Spec.MaxUnavailable != nil:
		if *pdb.Spec.MaxUnavailable < 1 || *pdb.Spec.MaxUnavailable >= hpa.Spec.MinReplicas {
			t.Errorf("PDB maxUnavailable %d, want 1..%d", *pdb.Spec.MaxUnavailable, hpa.Spec.MinReplicas-1)
		}
	default:
		t.Error("the PDB sets neither minAvailable nor maxUnavailable")
	}

	type netPort struct {
		Port string `yaml:"port"`
	}
	type labelSelector struct {
		MatchLabels      map[string]string `yaml:"matchLabels"`
		MatchExpressions []any             `yaml:"matchExpressions"`
	}
	type peer struct {
		NamespaceSelector *labelSelector `yaml:"namespaceSelector"`
		PodSelector       *labelSelector `yaml:"podSelector"`
		IPBlock           *struct {
			CIDR string `yaml:"cidr"`
		} `yaml:"ipBlock"`
	}
	// open reports whether a peer lets in every pod: only empty selectors.
	open := func(p peer) bool {
		empty := func(s *labelSelector) bool {
			return s == nil || len(s.MatchLabels)+len(s.MatchExpressions) == 0
		}
		return p.IPBlock == nil && empty(p.NamespaceSelector) && empty(p.PodSelector)
	}
	var np struct {
		Spec struct {
			PodSelector selector `yaml:"podSelector"`
			PolicyTypes []string `yaml:"policyTypes"`
			Ingress     []struct {
				From  []peer    `yaml:"from"`
				Ports []netPort `yaml:"ports"`
			} `yaml:"ingress"`
			Egress []struct {
				Ports []netPort `yaml:"ports"`
			} `yaml:"egress"`
		} `yaml:"spec"`
	}
	only(t, ms, "NetworkPolicy").decode(t, &np)
	if !subset(np.Spec.PodSelector.MatchLabels, podLabels) {
		t.Errorf("NetworkPolicy podSelector %v does not select the pods", np.Spec.PodSelector.MatchLabels)
	}
	for _, pt := range []string{"Ingress", "Egress"} {
		if !slices.Contains(np.Spec.PolicyTypes, pt) {
			t.Errorf("NetworkPolicy policyTypes %v, want %s", np.Spec.PolicyTypes, pt)
		}
	}
	isPort := func(p netPort, num string) bool { return p.Port == num || p.Port == portName[atoi(num)] }
	proxyOpen, adminOpenToAll := false, false
	for _, in := range np.Spec.Ingress {
		for _, p := range in.Ports {
			proxyOpen = proxyOpen || isPort(p, proxyPort)
			adminOpenToAll = adminOpenToAll || (isPort(p, adminPort) && (len(in.From) == 0 || slices.ContainsFunc(in.From, open)))
		}
		if len(in.Ports) == 0 && len(in.From) == 0 {
			adminOpenToAll = true
		}
	}
	if !proxyOpen {
		t.Error("the NetworkPolicy does not let clients reach the proxy port")
	}
	if adminOpenToAll {
		t.Error("the NetworkPolicy opens the admin port (metrics) to everyone")
	}
	egressHTTPS := false
	for _, e := range np.Spec.Egress {
		for _, p := range e.Ports {
			egressHTTPS = egressHTTPS || p.Port == "443"
		}
	}
	if !egressHTTPS {
		t.Error("the NetworkPolicy does not let hush reach providers on 443")
	}

	var sm struct {
		Spec struct {
			Selector  selector `yaml:"selector"`
			Endpoints []struct {
				Port string `yaml:"port"`
				Path string `yaml:"path"`
			} `yaml:"endpoints"`
		} `yaml:"spec"`
	}
	smM := only(t, ms, "ServiceMonitor")
	smM.decode(t, &sm)
	if smM.APIVersion != "monitoring.coreos.com/v1" {
		t.Errorf("ServiceMonitor apiVersion %s, want monitoring.coreos.com/v1", smM.APIVersion)
	}
	if !subset(sm.Spec.Selector.MatchLabels, svcM.Metadata.Labels) {
		t.Errorf("ServiceMonitor selector %v does not select the Service's labels %v", sm.Spec.Selector.MatchLabels, svcM.Metadata.Labels)
	}
	if len(sm.Spec.Endpoints) == 0 {
		t.Fatal("the ServiceMonitor has no endpoints")
	}
	for _, e := range sm.Spec.Endpoints {
		target, ok := svcPortTarget[e.Port]
		if !ok {
			t.Errorf("ServiceMonitor port %q is not a named Service port", e.Port)
		}
		if target != adminPort && target != portName[atoi(adminPort)] {
			t.Errorf("ServiceMonitor port %q targets %q, want the admin port", e.Port, target)
		}
		if e.Path != "/metrics" {
			t.Errorf("ServiceMonitor path %q, want /metrics", e.Path)
		}
	}
}

func fmtPtr[T any](p *T) string {
	if p == nil {
		return "unset"
	}
	return fmt.Sprint(*p)
}

func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}

// TestKustomizeBuild runs the real kustomize (inside kubectl) where it is
// installed: the base must build, and put every object in one namespace.
func TestKustomizeBuild(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not on PATH")
	}
	out := run(t, ".", nil, kubectl, "kustomize", kustomizeDir)
	want := loadManifests(t)
	got := decodeYAML[manifest](t, "kustomize output", []byte(out))
	if len(got) != len(want) {
		t.Errorf("kustomize built %d objects, want %d", len(got), len(want))
	}
	for _, m := range got {
		if m.Kind != "Namespace" && m.Metadata.Namespace == "" {
			t.Errorf("%s %s has no namespace after kustomize", m.Kind, m.Metadata.Name)
		}
	}
}
