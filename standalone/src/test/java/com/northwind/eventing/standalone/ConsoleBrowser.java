package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One standalone jar and one headless Chromium shared by every console browser test class of the test JVM (a jar start
 * costs 15-20 s): a class says {@code @ExtendWith(ConsoleBrowser.class)} and takes a {@link Console} parameter. Debian's
 * Chromium and ChromeDriver drive it, named explicitly so that Selenium Manager never runs or downloads anything. Without
 * them the tests are skipped with the command that installs them, except under {@code CI=true}, where they fail. Tests
 * share the platform, so each registers names of its own and leaves the browser signed out.
 */
final class ConsoleBrowser implements BeforeAllCallback, ParameterResolver {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ACCESSIBILITY_CHECK = resource("/accessibility-check.js");

    @Override
    public void beforeAll(ExtensionContext context) {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "the console's browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                + "; install Debian's packages: apt-get install -y chromium chromium-driver";
        if (!installed && "true".equals(System.getenv("CI"))) {
            fail(missing + " (CI=true: the tests must run, not be skipped)");
        }
        Assumptions.assumeTrue(installed, missing);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Console.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.create(ConsoleBrowser.class))
                .computeIfAbsent(Console.class, key -> Console.start(), Console.class);
    }

    private static String resource(String name) {
        try (InputStream in = ConsoleBrowser.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared platform and browser; closed by JUnit when the test JVM's run ends. */
    static final class Console implements AutoCloseable {
        final StandaloneProcess platform;
        final WebDriver browser;
        final String adminToken;
        final WebDriverWait wait;
        private final Path dataDir;

        private Console(Path dataDir, StandaloneProcess platform, WebDriver browser, String adminToken) {
            this.dataDir = dataDir;
            this.platform = platform;
            this.browser = browser;
            this.adminToken = adminToken;
            this.wait = new WebDriverWait(browser, WAIT);
        }

        static Console start() {
            Path dataDir = null;
            StandaloneProcess platform = null;
            try {
                dataDir = Files.createTempDirectory("console-browser");
                platform = new StandaloneProcess(dataDir);
                platform.start();
                return new Console(dataDir, platform, chromium(), platform.adminToken());
            } catch (Exception e) {
                if (platform != null) {
                    platform.close();
                }
                throw new IllegalStateException("the platform or the browser did not start", e);
            }
        }

        String admin() {
            return platform.admin();
        }

        /** Opens the console, signs in with a token and waits for the signed-in header. */
        void signIn(String token) {
            browser.get(admin() + "/console/");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
            browser.findElement(By.id("token")).sendKeys(token);
            browser.findElement(By.id("sign-in")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
        }

        /** Signs out and waits for the sign-in page. */
        void signOut() {
            browser.findElement(By.id("sign-out")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        }

        /** Opens a console page by its hash ({@code #/catalog}) in the signed-in browser. */
        void open(String hash) {
            browser.get(admin() + "/console/" + hash);
        }

        String section(String headingId) {
            return browser.findElement(By.cssSelector("section[aria-labelledby=" + headingId + "]"))
                    .getText();
        }

        void scrollTo(String css) {
            ((JavascriptExecutor) browser)
                    .executeScript("arguments[0].scrollIntoView()", browser.findElement(By.cssSelector(css)));
        }

        /**
         * The accessibility problems of the page as rendered ({@code accessibility-check.js}: labels, names, alt texts,
         * table headers, unique ids, one h1, text contrast); empty when it passes.
         */
        @SuppressWarnings("unchecked")
        List<String> accessibilityProblems() {
            return (List<String>) script(ACCESSIBILITY_CHECK);
        }

        /** Fails the test, naming the page and each problem, when the page is not accessible by that check. */
        void assertAccessible(String page) {
            assertThat(accessibilityProblems()).as("accessibility of " + page).isEmpty();
        }

        Object script(String javascript) {
            return ((JavascriptExecutor) browser).executeScript(javascript);
        }

        void screenshot(String name) throws IOException {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }

        /** Fails the setup (not the assertion under test) when a call the test relies on did not answer as expected. */
        static HttpResponse<String> expect(int status, HttpResponse<String> response) {
            if (response.statusCode() != status) {
                throw new IllegalStateException("setup failed: " + response.statusCode() + " " + response.body());
            }
            return response;
        }

        @Override
        public void close() throws IOException {
            try {
                browser.quit();
            } finally {
                platform.close();
                try (Stream<Path> files = Files.walk(dataDir)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(path -> path.toFile().delete());
                }
            }
        }

        private static WebDriver chromium() {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-dev-shm-usage",
                    "--window-size=1280,1000",
                    "--lang=en");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                    .usingAnyFreePort()
                    .build();
            return new ChromeDriver(service, options);
        }
    }
}
