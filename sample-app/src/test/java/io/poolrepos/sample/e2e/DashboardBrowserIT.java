package io.poolrepos.sample.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs), against the packaged app in its own process: the page loads, shows
 * the three configured pools and how each connects, and its figures move while the traffic it starts
 * runs, the TLS pool's included. Leaves a screenshot in {@code target/dashboard.png}.
 */
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
                "--disable-sync", "--window-size=1200,1650", "--user-data-dir=" + profile);
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
    void dashboardShowsEveryPoolAndItsFiguresMoveWhileTrafficRuns() throws IOException {
        browser.get(app.baseUrl() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(100));
        // On a time-out, say what the page said.
        wait.withMessage(() -> "page status: '" + browser.findElement(By.id("status")).getText()
                + "', traffic: '" + browser.findElement(By.id("traffic")).getText() + "'");

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

        // A few more polls so that the chart has a history, then check it has lines and keep a picture.
        int polls = polls();
        wait.until(d -> polls() >= polls + 5);
        assertThat(paintedPixels("echo")).isPositive();
        assertThat(paintedPixels("multiplex")).isPositive();
        assertThat(paintedPixels("secure")).isPositive();
        assertThat(browser.findElement(By.id("status")).getAttribute("class")).doesNotContain("error");

        Path screenshot = Path.of(System.getProperty("sample.screenshot", "target/dashboard.png"));
        Path taken = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(taken, screenshot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(screenshot)).isPositive();
    }

    // The page rebuilds its rows on every poll, so dynamic figures are read in one script call: an
    // element found first and read later may already have been replaced.
    private long total(String pool, String field) {
        Object text = js("return document.querySelector(\"section[data-pool='\" + arguments[0]"
                + " + \"'] tr.totals td[data-field='\" + arguments[1] + \"']\").textContent;", pool, field);
        return Long.parseLong(String.valueOf(text).trim());
    }

    @SuppressWarnings("unchecked")
    private List<String> nameRows(String pool) {
        return (List<String>) js("return Array.from(document.querySelectorAll(\"section[data-pool='\" + arguments[0]"
                + " + \"'] tr.name\")).map(r => r.dataset.name);", pool);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private int polls() {
        String polls = browser.findElement(By.tagName("body")).getAttribute("data-polls");
        return polls == null ? 0 : Integer.parseInt(polls);
    }

    /** Pixels of the pool's chart that are not blank: the lines and the grid. */
    private long paintedPixels(String pool) {
        Object n = js(
                "const c = document.querySelector(\"section[data-pool='\" + arguments[0] + \"'] canvas\");"
                        + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n;",
                pool);
        return ((Number) n).longValue();
    }
}
