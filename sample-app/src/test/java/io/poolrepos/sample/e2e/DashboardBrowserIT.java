package io.poolrepos.sample.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs), against the packaged app in its own process. First trouble: a
 * traffic run with the trouble drills, then the page opened afterwards shows the acquire timeout, the
 * connect failures, the limits, the acquire wait and charts whose history began before the page
 * opened, a name's own chart on a click; a screenshot of that view goes to {@code target/dashboard.png}
 * and to {@code sample.screenshot.docs}, the README's picture in {@code docs/} (the build sets it; empty: not copied). Then the page's own
 * traffic button: the three pools and how each connects, figures that move while the traffic runs.
 * Then the endpoint's operations from the page (the sample opens them): the warm-up badge, suspend and
 * resume with their badge and list entries, evict, a refused and a valid resize; and, against a second
 * app under read-only access, a page that offers none of them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    private static SampleAppProcess app;
    private static WebDriver browser;
    private static Path profile;

    @BeforeAll
    static void start() throws IOException {
        Path chromium = Path.of(System.getProperty("sample.chromium", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getProperty("sample.chromedriver", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
            String missing = "headless browser test needs " + chromium + " and " + chromedriver
                    + " (Debian: apt-get install chromium chromium-driver; .ci/run installs them)";
            if (System.getenv("CI") != null) {
                fail(missing);
            }
            Assumptions.abort(missing);
        }
        app = SampleAppProcess.start("dashboard-app");
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // As root in a closed network: no sandbox, and none of Chromium's own calls home.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1200,2300", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void afterTroubleThePageShowsTimeoutsFailuresLimitsLatencyAndHistoryFromBeforeItOpened() throws IOException {
        // Trouble before the page exists: the run exhausts echo on the first backend (an acquire times
        // out, an add under the wrong name is rejected) and stops the TLS backend for 3 s.
        app.postJson("/api/traffic?seconds=10&workers=6&trouble=true", 202);
        await("the traffic run with trouble to end").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                .until(() -> !app.getJson("/api/traffic").at("/generator/running").asBoolean());
        JsonNode traffic = app.getJson("/api/traffic").get("generator");
        assertThat(traffic.get("lastTrouble").asString()).as("what the drills did").contains("started again");

        // The history the page will draw, as JSON: the trouble is in it, and a name without history is a 404 that says which have one.
        JsonNode history = app.getJson("/api/history");
        assertThat(history.get("t").size()).isGreaterThanOrEqualTo(5);
        assertThat(history.at("/pools/echo/series/acquireTimeouts").valueStream().mapToLong(JsonNode::asLong).sum())
                .isEqualTo(1);
        assertThat(history.at("/pools/secure/health").valueStream().map(JsonNode::asString)).contains("DOWN");
        assertThat(app.get("/api/history/name?pool=echo&name=db1:5432", 404))
                .contains("no history of name 'db1:5432' in pool 'echo'", app.backendNames().get(0));

        long openedAt = System.currentTimeMillis();
        browser.get(app.baseUrl() + "/");
        WebDriverWait wait = pageWait();
        wait.until(d -> d.findElement(By.id("status")).getText().startsWith("updated"));
        wait.until(d -> d.findElements(By.cssSelector("section.pool")).size() == 3);

        // The trouble, counted since start, with the last minute's share.
        wait.until(d -> tile("echo", "acquireTimeouts") >= 1);
        assertThat(tile("echo", "rejected")).isGreaterThanOrEqualTo(1);
        assertThat(tile("echo", "overflowed")).isGreaterThanOrEqualTo(1);
        assertThat(tile("secure", "connectFailures")).isGreaterThanOrEqualTo(1);
        assertThat(attribute("section[data-pool='echo'] [data-trouble='acquireTimeouts']", "class")).contains("hot");
        assertThat(text("section[data-pool='echo'] [data-trouble='acquireTimeouts'] .recent")).contains("in the last min");
        assertThat(text("section[data-pool='multiplex'] [data-trouble='acquireTimeouts'] .count")).isEqualTo("0");

        // The limits beside the figures: per name, and in the pool's line.
        String firstBackend = app.backendNames().get(0);
        String row = "section[data-pool='echo'] tr.name[data-name='" + firstBackend + "']";
        assertThat(text(row + " td[data-field='inUse']")).matches("\\d+ / 16");
        assertThat(text(row + " td[data-field='idle']")).matches("\\d+ / 8");
        assertThat(text("section[data-pool='echo'] [data-field='limits']"))
                .contains("open ≤ 16", "idle ≤ 8", "acquire timeout 5 s");
        assertThat(text("section[data-pool='multiplex'] [data-field='limits']")).contains("sharers per connection ≤ 8");

        // The acquire wait from the pool.repos.acquire timer: the timed-out acquire waited 300 ms.
        assertThat(number("section[data-pool='echo'] [data-field='latency']", "data-peak")).isGreaterThanOrEqualTo(300);
        assertThat(text("section[data-pool='echo'] [data-field='latency']")).contains("mean", "max", "peak");

        // Health from the poolRepos indicator: a badge now, and the outage shaded in the secure pool's charts.
        assertThat(attribute("section[data-pool='secure'] .badge.health", "data-health")).isIn("UP", "DOWN");
        assertThat(browser.findElements(By.cssSelector("section[data-pool='secure'] .pool-charts rect.down")))
                .as("samples of the secure pool while its health was DOWN").isNotEmpty();

        // The pool's charts hold samples from before the page opened.
        String poolChart = "section[data-pool='echo'] .pool-charts [data-chart='connections'] svg";
        wait.until(d -> number(poolChart, "data-points") >= 5);
        assertThat(number(poolChart, "data-first-t")).isLessThan(openedAt);

        // A click on a name opens its own charts, with its history from before the page opened too.
        js("document.querySelector(arguments[0]).click();", row);
        String nameChart = "section[data-pool='echo'] .name-detail[data-name='" + firstBackend
                + "'] [data-chart='connections'] svg";
        // Its charts are drawn once its history has come: until then they have no points.
        wait.until(d -> number(nameChart, "data-points") >= 5);
        assertThat(number(nameChart, "data-first-t")).isLessThan(openedAt);
        assertThat(pointsOf(nameChart + " polyline[data-series='inUse']")).isGreaterThanOrEqualTo(5);
        assertThat(browser.findElement(By.cssSelector("section[data-pool='echo'] .name-detail")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("status")).getAttribute("class")).doesNotContain("error");

        Path screenshot = Path.of(System.getProperty("sample.screenshot", "target/dashboard.png"));
        Path taken = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(taken, screenshot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(screenshot)).isPositive();
        String docs = System.getProperty("sample.screenshot.docs", "");
        if (!docs.isBlank()) {
            Files.copy(taken, Path.of(docs), StandardCopyOption.REPLACE_EXISTING);
        }

        // Clicked again, the name's charts close.
        js("document.querySelector(arguments[0]).click();", row);
        wait.until(d -> !d.findElement(By.cssSelector("section[data-pool='echo'] .name-detail")).isDisplayed());
    }

    @Test
    @Order(2)
    void dashboardShowsEveryPoolAndItsFiguresMoveWhileTrafficRuns() {
        browser.get(app.baseUrl() + "/");
        WebDriverWait wait = pageWait();

        wait.until(d -> d.findElement(By.id("status")).getText().startsWith("updated"));
        WebElement echo = wait.until(d -> d.findElement(By.cssSelector("section[data-pool='echo']")));
        WebElement multiplex = browser.findElement(By.cssSelector("section[data-pool='multiplex']"));
        WebElement secure = browser.findElement(By.cssSelector("section[data-pool='secure']"));
        assertThat(browser.getTitle()).contains("pool-repos");
        assertThat(browser.findElements(By.cssSelector("section.pool"))).hasSize(3);
        assertThat(echo.findElement(By.cssSelector(".badge.exclusive")).getText()).isEqualTo("exclusive");
        assertThat(echo.findElement(By.cssSelector(".badge.connect")).getText()).isEqualTo("tcp");
        assertThat(multiplex.findElement(By.cssSelector(".badge.sharable")).getText()).isEqualTo("sharable");
        assertThat(secure.findElement(By.cssSelector(".badge.exclusive")).getText()).isEqualTo("exclusive");
        WebElement tls = secure.findElement(By.cssSelector(".badge.connect"));
        assertThat(tls.getText()).isEqualTo("tls · bundle sample-backend-trust");
        assertThat(tls.getAttribute("data-connect")).isEqualTo("tls");
        assertThat(tls.getAttribute("data-ssl-bundle")).isEqualTo("sample-backend-trust");

        long echoGets = total("echo", "gets");
        long shares = total("multiplex", "shares");
        long secureGets = total("secure", "gets");

        browser.findElement(By.id("traffic-start")).click();

        // The figures the page shows grow, poll after poll, while the run goes on.
        wait.until(d -> total("echo", "gets") > echoGets && total("multiplex", "shares") > shares
                && total("secure", "gets") > secureGets);
        long echoGetsLater = total("echo", "gets");
        wait.until(d -> total("echo", "gets") > echoGetsLater);
        wait.until(d -> "true".equals(d.findElement(By.id("traffic")).getAttribute("data-running")));
        assertThat(browser.findElement(By.id("traffic")).getText()).startsWith("traffic running");
        assertThat(browser.findElement(By.id("traffic-start")).isEnabled()).isFalse();

        // Every backend shows up as a name row in both plain pools, the TLS backend in the secure pool.
        wait.until(d -> nameRows("echo").size() == 2 && nameRows("multiplex").size() == 2);
        assertThat(nameRows("echo")).containsExactlyInAnyOrderElementsOf(app.backendNames());
        assertThat(nameRows("multiplex")).containsExactlyInAnyOrderElementsOf(app.backendNames());
        assertThat(nameRows("secure")).containsExactly(app.tlsBackendName());

        // A few more polls, then every pool's charts have lines.
        int polls = polls();
        wait.until(d -> polls() >= polls + 3);
        for (String pool : List.of("echo", "multiplex", "secure")) {
            assertThat(pointsOf("section[data-pool='" + pool + "'] .pool-charts [data-chart='connections'] svg"
                    + " polyline[data-series='idle']")).isGreaterThanOrEqualTo(3);
        }
        assertThat(browser.findElement(By.id("status")).getAttribute("class")).doesNotContain("error");
    }

    @Test
    @Order(3)
    void operationsFromThePageSuspendResumeEvictAndResizeTheLivePoolAndBadInputChangesNothing() throws IOException {
        // The run the page's button started goes on for 30 s: let it end, so that only this test acts on echo.
        await("the page's traffic run to end").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> !app.getJson("/api/traffic").at("/generator/running").asBoolean());
        browser.get(app.baseUrl() + "/");
        WebDriverWait wait = pageWait();
        wait.until(d -> d.findElement(By.id("status")).getText().startsWith("updated"));
        String echo = "section[data-pool='echo']";

        // Warm-up: application.yml has echo keep two connections to its first backend from the start.
        wait.until(d -> "WARM".equals(attribute(echo + " .badge.warmup", "data-warmup")));
        assertThat(text(echo + " .badge.warmup")).isEqualTo("warm 1/1");
        assertThat(attribute("section[data-pool='multiplex'] .badge.warmup", "data-warmup")).isNull();
        assertThat(text(echo + " [data-field='limits']")).contains("min idle 2");

        // The endpoint's access is unrestricted in application.yml: the page found out and offers the operations.
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-operable")));
        wait.until(d -> shown(echo + " [data-action='suspend']"));
        assertThat(shown(echo + " [data-action='resume']")).isFalse();
        assertThat(shown(echo + " [data-action='evict']")).isTrue();
        assertThat(shown(echo + " form[data-field='resize']")).isTrue();

        // Suspend (wait): the badge, the operation listed, and an acquire that waits its whole timeout.
        click(echo + " [data-action='suspend']");
        wait.until(d -> "wait".equals(attribute(echo + " .badge.suspended", "data-suspended")));
        assertThat(text(echo + " .badge.suspended")).isEqualTo("suspended (wait)");
        wait.until(d -> "suspend".equals(attribute(echo + " ol.operations li", "data-operation")));
        assertThat(text(echo + " ol.operations li")).contains("suspend by anonymous: suspended (wait)");
        assertThat(text(echo + " [data-field='op-message']")).isEqualTo("suspend: suspended (wait)");
        assertThat(app.get("/api/echo?backend=0&text=held", 503)).as("an echo call while echo is suspended")
                .contains("acquire timed out after 5000ms while the pool was suspended by an operator");

        // Resume: the badge goes, the operation is listed first, calls go through again.
        wait.until(d -> shown(echo + " [data-action='resume']"));
        assertThat(shown(echo + " [data-action='suspend']")).isFalse();
        click(echo + " [data-action='resume']");
        wait.until(d -> attribute(echo + " .badge.suspended", "class") == null);
        wait.until(d -> "resume".equals(attribute(echo + " ol.operations li", "data-operation")));
        assertThat(text(echo + " ol.operations li")).contains("resumed (was suspended, wait)");
        assertThat(app.getJson("/api/echo?backend=0&text=again").get("reply").asString()).isEqualTo("again");

        // Evict all: the idle connections (warm-up's two at least) are closed now, counted as discarded.
        long discarded = tile("echo", "discarded");
        click(echo + " [data-action='evict']");
        wait.until(d -> "evict".equals(attribute(echo + " ol.operations li", "data-operation")));
        wait.until(d -> tile("echo", "discarded") >= discarded + 2);

        // A negative limit: the server's message, and the limits stay.
        String firstBackend = app.backendNames().get(0);
        String row = echo + " tr.name[data-name='" + firstBackend + "']";
        type(echo + " input[data-limit='maxOpenPerName']", "-1");
        click(echo + " [data-action='resize']");
        wait.until(d -> "refused".equals(attribute(echo + " [data-field='op-message']", "data-outcome")));
        assertThat(text(echo + " [data-field='op-message']"))
                .isEqualTo("maxOpenPerName must be >= 0, was -1. Nothing was changed.");
        assertThat(attribute(echo + " [data-field='op-message']", "class")).contains("error");
        assertThat(app.getJson("/actuator/poolrepos/echo").at("/limits/maxOpenPerName").asInt()).isEqualTo(16);
        assertThat(text(echo + " [data-field='limits']")).contains("open ≤ 16", "idle ≤ 8");
        assertThat(attribute(echo + " ol.operations li", "data-operation")).as("a refused resize is no operation")
                .isEqualTo("evict");

        // A valid resize: the new limits in the limits line, beside each name's figures, and in the list.
        type(echo + " input[data-limit='maxOpenPerName']", "12");
        type(echo + " input[data-limit='maxIdlePerName']", "6");
        click(echo + " [data-action='resize']");
        wait.until(d -> "resize".equals(attribute(echo + " ol.operations li", "data-operation")));
        assertThat(text(echo + " ol.operations li")).contains("maxOpenPerName 16 → 12", "maxIdlePerName 8 → 6");
        wait.until(d -> String.valueOf(text(echo + " [data-field='limits']")).contains("open ≤ 12"));
        assertThat(text(echo + " [data-field='limits']")).contains("idle ≤ 6");
        wait.until(d -> String.valueOf(text(row + " td[data-field='inUse']")).matches("\\d+ / 12"));
        assertThat(text(row + " td[data-field='idle']")).matches("\\d+ / 6");
        assertThat(attribute(echo + " [data-field='op-message']", "data-outcome")).isEqualTo("done");
        assertThat(attribute(echo + " input[data-limit='maxOpenPerName']", "placeholder")).isEqualTo("12");
        JsonNode limits = app.getJson("/actuator/poolrepos/echo").get("limits");
        assertThat(limits.get("maxOpenPerName").asInt()).isEqualTo(12);
        assertThat(limits.get("maxIdlePerName").asInt()).isEqualTo(6);
        assertThat(browser.findElement(By.id("status")).getAttribute("class")).doesNotContain("error");
        // For a look at the operations' part of the page (not checked): target/dashboard-operations.png.
        Files.copy(((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(),
                Path.of("target/dashboard-operations.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(4)
    void underReadOnlyAccessThePageOffersNoOperations() throws IOException {
        try (SampleAppProcess readOnly = SampleAppProcess.start("dashboard-read-only-app",
                "--management.endpoint.poolrepos.access=read-only")) {
            browser.get(readOnly.baseUrl() + "/");
            WebDriverWait wait = pageWait();
            wait.until(d -> "false".equals(d.findElement(By.tagName("body")).getAttribute("data-operable")));
            wait.until(d -> polls() >= 2);
            String echo = "section[data-pool='echo']";
            for (String action : List.of("suspend", "resume", "evict")) {
                assertThat(shown(echo + " [data-action='" + action + "']")).as(action).isFalse();
            }
            assertThat(shown(echo + " form[data-field='resize']")).isFalse();
            // What the page relies on: the endpoint refuses the operations under this access.
            assertThat(readOnly.postJson("/actuator/poolrepos/echo/resume", 405).get("status").asInt()).isEqualTo(405);
            assertThat(attribute(echo + " .badge.warmup", "data-warmup")).isEqualTo("WARM");
        }
    }

    private static WebDriverWait pageWait() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(100));
        // On a time-out, say what the page said.
        wait.withMessage(() -> "page status: '" + browser.findElement(By.id("status")).getText()
                + "', traffic: '" + browser.findElement(By.id("traffic")).getText() + "'");
        return wait;
    }

    /** The count on a pool's trouble tile ({@code acquireTimeouts}, {@code connectFailures}, ...). */
    private long tile(String pool, String field) {
        String value = attribute("section[data-pool='" + pool + "'] [data-trouble='" + field + "']", "data-value");
        return value == null ? -1 : Long.parseLong(value);
    }

    // The page rebuilds rows and charts on every poll: each read finds its element afresh, in one script call.
    private String attribute(String selector, String name) {
        Object value = js("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
                selector, name);
        return value == null ? null : String.valueOf(value);
    }

    /** A number the page wrote in an attribute; -1 while the element or the attribute is not there yet. */
    private double number(String selector, String name) {
        String value = attribute(selector, name);
        return value == null || value.isEmpty() ? -1 : Double.parseDouble(value);
    }

    private String text(String selector) {
        Object value = js("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", selector);
        return value == null ? null : String.valueOf(value).trim();
    }

    /** Points of the polylines matching {@code selector}, all segments together. */
    private long pointsOf(String selector) {
        Object n = js("return Array.from(document.querySelectorAll(arguments[0]))"
                + ".map(p => p.getAttribute('points').trim().split(/\\s+/).length).reduce((a, b) => a + b, 0);", selector);
        return ((Number) n).longValue();
    }

    // The page rebuilds its rows on every poll, so dynamic figures are read in one script call: an
    // element found first and read later may already have been replaced.
    private long total(String pool, String field) {
        return Long.parseLong(attribute("section[data-pool='" + pool + "'] tr.totals td[data-field='" + field + "']",
                "data-value"));
    }

    @SuppressWarnings("unchecked")
    private List<String> nameRows(String pool) {
        return (List<String>) js("return Array.from(document.querySelectorAll(\"section[data-pool='\" + arguments[0]"
                + " + \"'] tr.name\")).map(r => r.dataset.name);", pool);
    }

    /** Whether the element is there and rendered (not hidden, nor inside a hidden one). */
    private boolean shown(String selector) {
        return Boolean.TRUE.equals(js("const e = document.querySelector(arguments[0]);"
                + " return !!e && e.getClientRects().length > 0;", selector));
    }

    private void click(String selector) {
        browser.findElement(By.cssSelector(selector)).click();
    }

    private void type(String selector, String value) {
        WebElement input = browser.findElement(By.cssSelector(selector));
        input.clear();
        input.sendKeys(value);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private int polls() {
        String polls = browser.findElement(By.tagName("body")).getAttribute("data-polls");
        return polls == null ? 0 : Integer.parseInt(polls);
    }
}
