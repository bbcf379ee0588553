#!/usr/bin/env python3
"""The dashboard end to end, in a real browser.

Starts a real corral-master, the Kubernetes API emulator and a real corral-agent on loopback (the
agent enrols and sends the emulator's recorded cluster), makes an operator and a viewer token, then
drives the page in headless Chromium: signs in (a wrong token is refused), reads the overview, the
cluster, a second page of its events, its pods filtered by name, a pod with its node, owners and
services, gets the pod's logs through the confirmation dialog, scales and restarts a deployment and
waits for the page to show the commands succeeded and, live, the new replica count, deletes
another pod, opens one object of every kind, checks that a hostile name is shown as text, reads
the commands, agents, pools, alerts (acknowledging one) and audit views, then signs in as a viewer,
checks that no action is offered, and that revoking the token signs the page out. Saves a
screenshot of each main view.

Every wait is a WebDriverWait with a deadline; nothing sleeps for a fixed time.
Child processes are stopped on every exit path. Exit code 77 means the browser or Selenium is not
installed (CTest reports the test as skipped).
"""

import argparse
import ctypes
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

SKIPPED = 77
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CLUSTER = "dash"
KINDS = ["pods", "nodes", "deployments", "replicasets", "statefulsets", "daemonsets", "services",
         "ingresses", "configmaps", "namespaces", "events"]
EMULATOR_TOKEN = "dashboard-emulator-token"
WAIT_S = 30
COMMAND_WAIT_S = 60

try:
    from selenium import webdriver
    from selenium.common.exceptions import (StaleElementReferenceException,
                                            TimeoutException, WebDriverException)
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"skipped: python3-selenium is not installed ({e})")
    sys.exit(SKIPPED)


class TestFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise TestFailure(message)


# --- processes ---------------------------------------------------------------------------------

_libc = ctypes.CDLL("libc.so.6", use_errno=True)
_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    # A child outlives nothing: if this script is killed (a CTest timeout), the kernel ends it.
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Child:
    """A process whose stdout is read line by line on a thread; stderr goes to a file."""

    def __init__(self, name, argv, log_dir):
        self.name = name
        self.stderr_path = os.path.join(log_dir, f"{name}.stderr")
        self._stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=self._stderr, preexec_fn=_die_with_parent)
        self._lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.process.stdout:
            self._lines.put(raw.decode("utf-8", "replace"))
        self._lines.put(None)

    def wait_for_line(self, needle, timeout_s=WAIT_S):
        deadline = time.monotonic() + timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TestFailure(f"{self.name} did not print '{needle}' within {timeout_s}s")
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise TestFailure(f"{self.name} exited before printing '{needle}':\n"
                                  + self.stderr_tail())
            if needle in line:
                return line.strip()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stderr.close()

    def stderr_tail(self, lines=30):
        try:
            with open(self.stderr_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


# --- the master's API --------------------------------------------------------------------------

# Loopback only: a proxy from the environment must not be asked.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Api:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, token, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with _opener.open(request, timeout=70) as response:
                text = response.read()
        except urllib.error.HTTPError as e:
            raise TestFailure(f"{method} {path}: {e.code} {e.read().decode('utf-8', 'replace')}")
        return json.loads(text) if text else None

    def get(self, path, token):
        return self.call("GET", path, token)

    def post(self, path, token, body):
        return self.call("POST", path, token, body)


# --- the page ----------------------------------------------------------------------------------

def sel(test):
    return f'[data-test="{test}"]'


class Page:
    def __init__(self, driver, base, screenshots):
        self.driver = driver
        self.base = base
        self.screenshots = screenshots

    def wait(self, what, condition, timeout_s=WAIT_S):
        try:
            return WebDriverWait(self.driver, timeout_s, poll_frequency=0.1,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(
                lambda d: condition(), message=what)
        except TimeoutException:
            raise TestFailure(f"timed out after {timeout_s}s waiting for {what}") from None

    def all(self, css, within=None):
        return (within or self.driver).find_elements(By.CSS_SELECTOR, css)

    def one(self, css, what=None, timeout_s=WAIT_S):
        """The first visible element matching `css`, once there is one."""
        def found():
            for e in self.all(css):
                if e.is_displayed():
                    return e
            return None
        return self.wait(what or f"an element {css}", found, timeout_s)

    def click(self, css, what=None):
        """Clicks the first visible element matching `css`. Views reload when live events
        concern them, so an element found may be replaced before the click: find it again."""
        def clicked():
            for e in self.all(css):
                try:
                    if e.is_displayed():
                        e.click()
                        return True
                except StaleElementReferenceException:
                    return False
            return False
        self.wait(what or f"something to click at {css}", clicked)

    def text(self, css):
        return self.one(css).text

    def wait_text(self, css, expected, what, timeout_s=WAIT_S):
        """Waits until an element matching `css` shows `expected` among its text."""
        def shows():
            return any(expected in e.text for e in self.all(css) if e.is_displayed())
        self.wait(what, shows, timeout_s)

    def go(self, route):
        self.driver.get(f"{self.base}/#/{route}")

    def view(self, name, route=None, failing=False):
        """Waits until the view `name` of the address shown (which starts with `route`, when
        given) has loaded: its content replaced the loading note. A view that shows an error
        fails the test unless `failing` is expected."""
        def loaded():
            url = self.driver.current_url
            fragment = url.split("#", 1)[1].lstrip("/") if "#" in url else ""
            if route is not None and not fragment.startswith(route):
                return False
            # The view of the address shown, not the one it replaces.
            views = [v for v in self.all(sel(f"view-{name}"))
                     if v.get_attribute("data-route") == fragment]
            if not views:
                return False
            errors = self.all(sel("view-error"), views[0])
            if errors and not failing:
                raise TestFailure(f"view {name} failed: {errors[0].text}")
            return bool(errors) if failing else not self.all(sel("loading"), views[0])
        self.wait(f"the {name} view" + (f" of #/{route}" if route else ""), loaded)

    def rows(self, table_test, row_test):
        return self.all(f'{sel(table_test)} {sel(row_test)}')

    def row_keys(self, table_test, row_test):
        try:
            return [r.get_attribute("data-key") for r in self.rows(table_test, row_test)]
        except StaleElementReferenceException:
            return None

    def screenshot(self, name):
        path = os.path.join(self.screenshots, f"{name}.png")
        check(self.driver.save_screenshot(path), f"screenshot {path} not saved")
        print(f"screenshot: {path}")

    def sign_in(self, token):
        self.one(sel("token-input"), "the sign-in form")
        box = self.one(sel("token-input"))
        box.clear()
        box.send_keys(token)
        self.click(sel("sign-in"))

    def sign_out(self):
        self.click(sel("sign-out"))
        self.one(sel("token-input"), "the sign-in form after signing out")

    def confirm(self, values=None):
        """Fills the in-page confirmation dialog and confirms it."""
        dialog = self.one(sel("confirm-dialog"), "the confirmation dialog")
        for name, value in (values or {}).items():
            field = dialog.find_element(By.CSS_SELECTOR, sel(f"confirm-field-{name}"))
            field.clear()
            field.send_keys(str(value))
        dialog.find_element(By.CSS_SELECTOR, sel("confirm-ok")).click()
        self.wait("the dialog to close", lambda: not self.all(sel("confirm-dialog")))

    def console_problems(self):
        """Script errors and Content-Security-Policy refusals the browser logged."""
        problems = []
        for entry in self.driver.get_log("browser"):
            text = entry.get("message", "")
            if "Content Security Policy" in text or "Uncaught" in text or \
                    "SyntaxError" in text or "TypeError" in text:
                problems.append(text)
        return problems


# --- the fleet ---------------------------------------------------------------------------------

class Fleet:
    """A master, the emulator and an agent serving its cluster, with its data directory."""

    def __init__(self, args, work):
        self.children = []
        self.work = work
        try:
            self._launch(args, work)
        except BaseException:
            self.stop()
            raise

    def _launch(self, args, work):
        master = self._start("master", [args.master, "--data-dir", os.path.join(work, "data"),
                                        "--listen", "127.0.0.1:0"])
        line = master.wait_for_line("listening on")
        self.base = line[line.index("http"):].strip()
        with open(os.path.join(work, "data", "admin.token")) as f:
            self.admin = f.read().strip()
        self.api = Api(self.base)

        kubeconfig = os.path.join(work, "kubeconfig")
        emulator = self._start("emulator", [args.emulator, "--listen", "127.0.0.1:0", "--token",
                                            EMULATOR_TOKEN, "--kubeconfig-out", kubeconfig])
        emulator.wait_for_line("listening on")

        self.pool = self.api.post("/api/v1/agent-pools", self.admin,
                                  {"name": "clusters", "pool_type": "k8s",
                                   "description": "Kubernetes clusters"})
        enrollment = self.api.post(f"/api/v1/agent-pools/{self.pool['id']}/tokens", self.admin,
                                   {"name": "dashboard test"})["token"]
        config = os.path.join(work, "agent.yaml")
        with open(config, "w") as f:
            f.write(f"name: dash-agent\n"
                    f"server_url: {self.base}\n"
                    f"enrollment_token: {enrollment}\n"
                    f"cluster_id: {CLUSTER}\n"
                    f"state_dir: {os.path.join(work, 'agent-state')}\n"
                    f"health_listen: 127.0.0.1:0\n"
                    f"snapshot_interval: 60s\n"
                    f"poll_wait: 5s\n"
                    f"kubernetes:\n"
                    f"  in_cluster: false\n"
                    f"  kubeconfig: {kubeconfig}\n")
        self._start("agent", [args.agent, "--config", config])

    def _start(self, name, argv):
        child = Child(name, argv, self.work)
        self.children.append(child)
        return child

    def token(self, role):
        """A new operator token of `role`: its record, with the secret as "token"."""
        return self.api.post("/api/v1/tokens", self.admin,
                             {"role": role, "name": f"{role} in the browser"})

    def stop(self):
        for child in reversed(self.children):
            child.stop()

    def logs(self):
        return "\n".join(f"--- {c.name} stderr (last lines)\n{c.stderr_tail()}"
                         for c in self.children)


def start_browser(work):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,800", "--no-proxy-server", "--no-first-run",
                 "--disable-extensions", "--disable-background-networking", "--disable-sync",
                 "--disable-default-apps", "--force-device-scale-factor=1",
                 f"--user-data-dir={os.path.join(work, 'chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=CHROMEDRIVER, log_path=os.path.join(work, "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    # --window-size counts the window's frame in the new headless mode; the page itself is what
    # the screenshots show, so give the page exactly 1280x800.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    return driver


# --- the scenario ------------------------------------------------------------------------------

def choose_objects(fleet):
    """A pod with a node, an owner and a service, another pod to delete, and a deployment, as the
    API shows them."""
    admin = fleet.admin
    pods = fleet.api.get(f"/api/v1/clusters/{CLUSTER}/pods?limit=500", admin)["items"]
    pod = None
    for p in pods:
        detail = fleet.api.get(f"/api/v1/clusters/{CLUSTER}/pods/{p['namespace']}/{p['name']}",
                               admin)
        if detail["node"] and detail["owners"] and detail["services"]:
            pod = detail
            break
    check(pod is not None, "the recorded cluster has no pod with a node, an owner and a service")
    others = [p for p in pods if p["uid"] != pod["object"]["uid"]]
    check(others, "the recorded cluster has a single pod")
    deployments = fleet.api.get(f"/api/v1/clusters/{CLUSTER}/deployments?limit=500",
                                admin)["items"]
    check(deployments, "the recorded cluster has no deployment")
    return pod, others[-1], deployments[0]


def run(args, work):
    fleet = Fleet(args, work)
    browser = None
    page = None
    try:
        operator = fleet.token("operator")
        viewer = fleet.token("viewer")
        browser = start_browser(work)
        page = Page(browser, fleet.base, args.screenshots)
        sign_in(page, fleet, operator)
        # The cluster is on the overview, so its agent is enrolled and its snapshot stored.
        agent = fleet.api.get(f"/api/v1/agents?pool_id={fleet.pool['id']}",
                              fleet.admin)["items"][0]
        pod, doomed, deployment = choose_objects(fleet)
        scenario(page, fleet, agent, viewer, pod, doomed, deployment)
        problems = page.console_problems()
        check(not problems, "the browser logged problems:\n" + "\n".join(problems))
    except BaseException:
        if page is not None:
            try:
                page.screenshot("failure")
                print(f"page at failure: {browser.current_url}")
            except WebDriverException:
                pass
        print(fleet.logs())
        raise
    finally:
        if browser is not None:
            browser.quit()
        fleet.stop()


def row(table_test, row_test, key, inner=None):
    """The CSS selector of a table's row by its key, or of an element inside it."""
    css = f'{sel(table_test)} {sel(row_test)}[data-key="{key}"]'
    return f"{css} {sel(inner)}" if inner else css


def sign_in(page, fleet, operator):
    """Signs in as the operator, and waits until the overview shows the cluster: it appears when
    the agent's first snapshot arrives, through the live stream if the page was there first."""
    page.driver.get(fleet.base + "/")
    page.sign_in("crl_op_not-a-token")
    page.wait_text(sel("sign-in-error"), "does not accept", "the refusal of a wrong token")
    page.screenshot("sign-in")
    page.sign_in(operator["token"])
    page.view("overview")
    page.wait_text(sel("whoami"), "· operator", "the role in the top bar")
    page.wait("the live indicator", lambda: page.one(sel("live")).get_attribute(
        "data-state") == "on")
    page.one(row("overview-clusters", "cluster-row", CLUSTER), "the cluster on the overview")


def scenario(page, fleet, agent, viewer, pod, doomed, deployment):
    pod_object = pod["object"]

    # Overview: the cluster with its health and agent, the pool with its slots.
    cluster_row = row("overview-clusters", "cluster-row", CLUSTER)
    page.wait("the cluster's health", lambda: page.text(f"{cluster_row} {sel('cluster-health')}")
              in ("ok", "degraded"))
    page.wait_text(cluster_row, "dash-agent", "the cluster's agent")
    page.wait_text(row("overview-pools", "pool-row", fleet.pool["id"]), "clusters", "the pool")
    page.wait_text(row("overview-pools", "pool-row", fleet.pool["id"], "pool-slots"), "/ 3",
                   "the pool's slots")
    page.screenshot("overview")

    # The cluster, then its pods, filtered by name.
    page.click(f"{cluster_row} {sel('cluster-link')}")
    page.view("cluster")
    page.one(sel("count-pods"), "the cluster's object counts")
    page.screenshot("cluster")

    # Events come in pages: the next page shows others.
    page.click(sel("kind-tab-events"))
    page.view("list", f"clusters/{CLUSTER}/events")
    page.wait("the first page of events",
              lambda: len(page.row_keys("objects", "object-row") or []) == 50)
    first_page = page.row_keys("objects", "object-row")
    page.click(sel("page-next"))
    page.view("list", f"clusters/{CLUSTER}/events?continue=")
    page.wait("the next page of events", lambda: not set(
        page.row_keys("objects", "object-row") or first_page) & set(first_page))

    page.click(sel("kind-tab-pods"))
    page.view("list")
    pod_key = f"{pod_object['namespace']}/{pod_object['name']}"
    page.wait("the pods listed", lambda: pod_key in (page.row_keys("objects", "object-row") or [])
              and len(page.row_keys("objects", "object-row") or []) > 1)
    page.screenshot("pods")
    page.one(sel("filter-q")).send_keys(pod_object["name"])
    page.click(sel("filter-apply"))
    page.wait("the filtered list", lambda: "q=" in page.driver.current_url and
              page.row_keys("objects", "object-row") == [pod_key])

    # The pod with its node, owners and services.
    page.click(row("objects", "object-row", pod_key, "object-link"))
    page.view("object", f"clusters/{CLUSTER}/pods/")
    page.wait_text(sel("related-node"), pod["node"]["name"], "the pod's node")
    owner = pod["owners"][0]
    page.wait_text(sel("related-owners"), f"{owner['kind']} {owner['name']}", "the pod's owner")
    for service in pod["services"]:
        page.wait_text(sel("related-services"), service["name"], "a service selecting the pod")
    page.screenshot("pod")

    # Its logs, through the dialog: the agent reads them from the emulator.
    page.click(sel("action-get_logs"))
    page.confirm({"tail_lines": 20})
    page.wait("get_logs to succeed", lambda: page.one(sel("command-card")).get_attribute(
        "data-state") == "succeeded", COMMAND_WAIT_S)
    logs = page.one(sel("command-logs"), "the logs in the page")
    check(logs.tag_name == "pre" and logs.text.strip(), f"logs: {logs.text!r}")
    page.screenshot("pod-logs")

    # The node links back to its pods.
    page.click(f'{sel("related-node")} a')
    page.view("object", f"clusters/{CLUSTER}/nodes/")
    page.one(row("related-pods", "object-row", pod_key), "the pod among the node's pods")

    # A deployment: scale it through the dialog, watch the command and the new replica count.
    ns, name = deployment["namespace"], deployment["name"]
    page.go(f"clusters/{CLUSTER}/deployments/{ns}/{name}")
    page.view("object", f"clusters/{CLUSTER}/deployments/")
    page.wait("the deployment's replicas",
              lambda: page.text(sel("replicas")) == str(deployment["replicas"]))
    replicas = deployment["replicas"] + 2
    page.click(sel("action-scale"))
    page.confirm({"replicas": replicas})
    card = sel("command-card")
    page.wait("scale to succeed", lambda: page.one(card).get_attribute("data-state") ==
              "succeeded", COMMAND_WAIT_S)
    page.wait_text(f'{card} {sel("command-state")}', "succeeded", "the state shown as succeeded")
    command_id = page.one(card).get_attribute("data-id")
    command = fleet.api.get(f"/api/v1/commands/{command_id}", fleet.admin)
    check(command["state"] == "succeeded" and command["action"] == "scale",
          f"the command the page issued: {command}")
    check(command["params"]["replicas"] == replicas, f"params: {command['params']}")
    # The agent pushes a snapshot after a change; the page hears of it and shows the new count.
    page.wait("the new replica count, live",
              lambda: page.text(sel("replicas")) == str(replicas), COMMAND_WAIT_S)
    page.screenshot("deployment")

    # Restart, through its dialog too.
    page.click(sel("action-restart"))
    page.confirm()
    page.wait("restart to succeed", lambda: page.one(card).get_attribute("data-state") ==
              "succeeded" and page.one(card).get_attribute("data-id") != command_id,
              COMMAND_WAIT_S)

    # Delete another pod: once the agent's next snapshot arrives, its page says it is gone.
    page.go(f"clusters/{CLUSTER}/pods/{doomed['namespace']}/{doomed['name']}")
    page.view("object", f"clusters/{CLUSTER}/pods/")
    page.click(sel("action-delete_pod"))
    page.confirm()
    page.wait("delete_pod to succeed", lambda: page.one(card).get_attribute("data-state") ==
              "succeeded", COMMAND_WAIT_S)
    page.one(sel("object-gone"), "the deleted pod's page saying it is gone", COMMAND_WAIT_S)

    # Every kind's list, and the page of its first object, render without an error.
    for kind in KINDS:
        page.go(f"clusters/{CLUSTER}/{kind}")
        page.view("list", f"clusters/{CLUSTER}/{kind}")
        if page.row_keys("objects", "object-row"):
            page.click(f'{sel("objects")} {sel("object-row")} {sel("object-link")}')
            page.view("object", f"clusters/{CLUSTER}/{kind}/")
            page.one(f'{sel(f"detail-{kind}")}', f"the page of one of the {kind}")

    # Names are shown as text, never read as HTML.
    hostile = '<img src=x id=injected onerror="window.injected=1">'
    page.go(f"clusters/{urllib.parse.quote(hostile, safe='')}/pods")
    page.view("list", "clusters/", failing=True)
    page.wait_text(sel("page-title"), "Pods", "the page of an unknown cluster")
    page.wait_text(".crumbs", hostile, "the hostile name shown as text")
    page.wait_text(sel("view-error"), hostile, "the master's refusal naming it, as text")
    check(not page.all("#injected") and
          page.driver.execute_script("return window.injected === undefined"),
          "a name was read as HTML")

    # Commands: the scale command, then its detail with its result.
    page.click(sel("nav-commands"))
    page.view("commands")
    page.wait_text(row("commands", "command-row", command_id), "scale", "the command listed")
    page.wait_text(row("commands", "command-row", command_id, "command-state"), "succeeded",
                   "the command's state in the list")
    page.screenshot("commands")
    page.click(row("commands", "command-row", command_id, "command-link"))
    page.view("command")
    page.wait_text(sel("command-result"), f'"replicas": {replicas}', "the command's result")

    # Agents and pools: status and slots.
    page.click(sel("nav-agents"))
    page.view("agents")
    page.wait("the agent's status", lambda: page.text(
        row("agents", "agent-row", agent["id"], "agent-status")) in ("online", "busy"))
    page.wait_text(row("agents", "agent-row", agent["id"], "agent-slots"), "/ 3",
                   "the agent's slots")
    page.screenshot("agents")
    page.click(row("agents", "agent-row", agent["id"], "agent-link"))
    page.view("agent")
    page.one(row("agent-commands", "command-row", command_id), "the agent's commands")
    page.click(sel("nav-pools"))
    page.view("pools")
    page.wait_text(row("pools", "pool-row", fleet.pool["id"], "pool-slots"), "/ 3",
                   "the pool's slots")

    # Alerts: the recorded cluster has problems the rules report; acknowledge one.
    page.click(sel("nav-alerts"))
    page.view("alerts")
    page.one(f'{sel("alerts")} {sel("alert-row")}', "an alert", COMMAND_WAIT_S)
    page.click(sel("action-ack"))
    page.confirm({"comment": "looking into it"})
    page.wait_text(sel("alert-acknowledged"), "looking into it", "the acknowledgement")
    page.screenshot("alerts")

    # Audit: the commands and the acknowledgement are recorded.
    page.click(sel("nav-audit"))
    page.view("audit")
    for action in ("command.create", "alert.acknowledge", "operator_token.create"):
        page.wait_text(sel("audit-action"), action, f"the audit entry {action}")
    page.screenshot("audit")

    # A viewer sees everything and is offered no action.
    page.sign_out()
    page.sign_in(viewer["token"])
    page.wait_text(sel("whoami"), "· viewer", "the viewer's role in the top bar")
    page.go(f"clusters/{CLUSTER}/deployments/{ns}/{name}")
    page.view("object", f"clusters/{CLUSTER}/deployments/")
    page.one(sel("related-owners"), "the deployment's relations")
    check(not page.all(sel("actions")) and not page.all(sel("action-scale")) and
          not page.all(sel("action-restart")), "a viewer is offered scale or restart")
    page.go(f"clusters/{CLUSTER}/pods/{pod_object['namespace']}/{pod_object['name']}")
    page.view("object", f"clusters/{CLUSTER}/pods/")
    page.wait_text(sel("related-node"), pod["node"]["name"], "the pod's node, as a viewer")
    check(not page.all(sel("action-get_logs")) and not page.all(sel("action-delete_pod")),
          "a viewer is offered pod actions")
    page.screenshot("viewer-pod")
    page.click(sel("nav-alerts"))
    page.view("alerts")
    page.one(f'{sel("alerts")} {sel("alert-row")}', "an alert, as a viewer")
    check(not page.all(sel("action-ack")), "a viewer is offered to acknowledge")

    # A token revoked while the page is open: the next call signs the page out.
    fleet.api.call("DELETE", f"/api/v1/tokens/{viewer['id']}", fleet.admin)
    page.click(sel("nav-overview"))
    page.wait_text(sel("sign-in-error"), "Signed out", "the page signed out")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--master", required=True)
    parser.add_argument("--agent", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--screenshots", required=True, help="where the screenshots are saved")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    for program in (CHROMIUM, CHROMEDRIVER):
        if not os.access(program, os.X_OK):
            print(f"skipped: {program} is not installed "
                  "(Debian packages chromium, chromium-driver)")
            return SKIPPED
    signal.signal(signal.SIGTERM, _interrupted)
    os.makedirs(args.screenshots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="corral-dashboard-")
    try:
        run(args, work)
    except TestFailure as e:
        print(f"FAILED: {e}")
        print(f"logs and the browser's profile are in {work}")
        return 1
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print("the dashboard works in Chromium")
    return 0


def _interrupted(signum, _frame):
    # A test stopped by a signal (a CTest timeout) still stops its processes on the way out.
    raise KeyboardInterrupt(f"signal {signum}")


if __name__ == "__main__":
    sys.exit(main())
