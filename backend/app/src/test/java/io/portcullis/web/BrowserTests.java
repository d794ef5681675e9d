package io.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.portcullis.LocalModeTest;
import io.portcullis.findings.ImageInventories;
import io.portcullis.findings.Rematching;
import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.scanner.testing.TestImages;
import io.portcullis.scanner.testing.TestRegistry;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The application as a person sees it: a real (headless) Chromium signs in, reads the audit log, filters it through htmx
 * and signs out, against the whole application in local mode.
 */
@LocalModeTest
class BrowserTests {

  @Autowired Tenants tenants;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired ImageInventories inventories;
  @Autowired Rematching rematching;
  @Autowired io.portcullis.findings.RiskOverview riskOverview;

  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @LocalServerPort int port;

  /** One browser for the class (starting Chromium is the slow part); every test begins signed out with no cookies. */
  static WebDriver driver;

  static WebDriverWait wait;
  static Path profile;

  @BeforeAll
  static void startBrowser() throws IOException {
    if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
      fail(
          "Browser tests need Chromium at %s and ChromeDriver at %s; install them with"
              + " `apt-get install -y chromium chromium-driver`",
          CHROMIUM,
          CHROMEDRIVER);
    }
    profile = Files.createTempDirectory("portcullis-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(10));
    wait.ignoring(StaleElementReferenceException.class);
  }

  @BeforeEach
  void signedOut() {
    driver.get(url("/login"));
    driver.manage().deleteAllCookies();
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      driver = null;
      if (profile != null) {
        try (Stream<Path> files = Files.walk(profile)) {
          files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
      }
    }
  }

  @Test
  void anAdminSignsInAndFindsTheSignInInTheAuditLog() throws IOException {
    signIn("admin", "admin-secret");

    WebElement header = driver.findElement(By.cssSelector("header.top-bar"));
    assertThat(header.findElement(By.cssSelector(".user")).getText()).isEqualTo("Ada Admin");
    assertThat(header.findElement(By.cssSelector(".role-badge")).getText()).isEqualTo("Admin");
    assertThat(header.findElement(By.cssSelector(".tenant")).getText()).isEqualTo("Local organisation");
    assertThat(driver.findElement(By.cssSelector(".local-banner")).getText()).contains("Local mode");
    assertThat(driver.findElement(By.cssSelector("main h1")).getText()).isEqualTo("Local organisation");
    screenshot("home.png");

    openAuditLogFromNavigation();
    assertThat(auditRows())
        .anySatisfy(
            row -> {
              assertThat(row.action()).isEqualTo("user.signed-in");
              assertThat(row.actor()).isEqualTo("ada@example.org");
              assertThat(row.outcome()).isEqualTo("SUCCESS");
            });
    screenshot("audit.png");
  }

  @Test
  void aWrongPasswordIsRefusedAndAudited() {
    driver.get(url("/login"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    // checked softly, so that the audit part below runs even when the sign-in page shows the wrong messages
    SoftAssertions messages = new SoftAssertions();
    messages.assertThat(flashMessages()).as("messages on a sign-in page nobody has used yet").isEmpty();

    submitSignIn("admin", "not-the-password");
    wait.until(ExpectedConditions.urlContains("/login?error"));
    WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash.error")));
    assertThat(error.getText()).contains("Sign-in failed");
    messages
        .assertThat(flashMessages())
        .as("messages after a failed sign-in")
        .containsExactly("Sign-in failed. Check your details and try again.");
    assertThat(driver.findElements(By.cssSelector("header.top-bar"))).isEmpty();

    signIn("admin", "admin-secret");
    openAuditLogFromNavigation();
    assertThat(auditRows())
        .anySatisfy(
            row -> {
              assertThat(row.action()).isEqualTo("user.sign-in-failed");
              assertThat(row.actor()).isEqualTo("admin");
              assertThat(row.outcome()).isEqualTo("FAILURE");
            });
    messages.assertAll();
  }

  @Test
  void theAuditLogFiltersByOutcomeThroughHtmx() throws IOException {
    // make sure there is at least one failure to find, next to the successful sign-in
    driver.get(url("/login"));
    submitSignIn("admin", "wrong");
    wait.until(ExpectedConditions.urlContains("/login?error"));
    signIn("admin", "admin-secret");
    openAuditLogFromNavigation();
    assertThat(auditRows()).extracting(AuditRow::outcome).contains("SUCCESS", "FAILURE");

    // a marker on the window survives an htmx swap but not a full page load
    js().executeScript("window.__stillThisPage = true;");
    new Select(driver.findElement(By.id("outcome"))).selectByVisibleText("Failure");

    wait.until(
        d -> {
          List<AuditRow> rows = auditRows();
          return !rows.isEmpty() && rows.stream().allMatch(row -> row.outcome().equals("FAILURE"));
        });
    wait.until(ExpectedConditions.urlContains("outcome=FAILURE"));
    assertThat(js().executeScript("return window.__stillThisPage === true;"))
        .as("the results were swapped in by htmx, not by loading a new page")
        .isEqualTo(Boolean.TRUE);
    assertThat(auditRows()).extracting(AuditRow::action).contains("user.sign-in-failed");
    assertThat(new Select(driver.findElement(By.id("outcome"))).getFirstSelectedOption().getText()).isEqualTo("Failure");
    screenshot("audit-failures.png");

    // the pushed URL is a real page: loading it shows the same filtered result
    driver.navigate().refresh();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#results table")));
    assertThat(auditRows()).isNotEmpty().allSatisfy(row -> assertThat(row.outcome()).isEqualTo("FAILURE"));
    assertThat(new Select(driver.findElement(By.id("outcome"))).getFirstSelectedOption().getDomProperty("value"))
        .isEqualTo("FAILURE");
  }

  @Test
  void aViewerHasNoAuditLog() throws IOException {
    signIn("viewer", "viewer-secret");
    WebElement header = driver.findElement(By.cssSelector("header.top-bar"));
    assertThat(header.findElement(By.cssSelector(".user")).getText()).isEqualTo("Val Viewer");
    assertThat(header.findElement(By.cssSelector(".role-badge")).getText()).isEqualTo("Viewer");

    WebElement nav = driver.findElement(By.cssSelector("nav.side-nav"));
    assertThat(nav.findElement(By.linkText("Overview")).isDisplayed()).isTrue();
    assertThat(nav.findElements(By.linkText("Audit log"))).isEmpty();
    assertThat(driver.findElements(By.cssSelector("a[href$='/audit']"))).isEmpty();

    driver.get(url("/audit"));
    WebElement heading = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("main h1")));
    assertThat(heading.getText()).isEqualTo("You are not allowed to do that");
    screenshot("forbidden.png");
    assertThat(driver.findElements(By.id("results"))).isEmpty();
  }

  @Test
  void signingOutEndsTheSessionAndIsAudited() throws IOException {
    signIn("admin", "admin-secret");
    driver.findElement(By.xpath("//header//button[normalize-space()='Sign out']")).click();

    wait.until(ExpectedConditions.urlContains("/login"));
    WebElement flash = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash.success")));
    assertThat(flash.getText()).isEqualTo("You have signed out.");
    screenshot("signed-out.png");
    SoftAssertions messages = new SoftAssertions();
    messages.assertThat(flashMessages()).as("messages after signing out").containsExactly("You have signed out.");
    assertThat(driver.getCurrentUrl()).isEqualTo(url("/login?signed-out"));
    assertThat(driver.findElements(By.cssSelector("header.top-bar"))).isEmpty();

    // the old session is gone: the home page asks for sign-in again
    driver.get(url("/"));
    wait.until(ExpectedConditions.urlContains("/login"));
    assertThat(driver.findElements(By.id("username"))).isNotEmpty();

    submitSignIn("admin", "admin-secret");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("header.top-bar .user")));
    openAuditLogFromNavigation();
    assertThat(auditRows())
        .anySatisfy(
            row -> {
              assertThat(row.action()).isEqualTo("user.signed-out");
              assertThat(row.actor()).isEqualTo("ada@example.org");
              assertThat(row.outcome()).isEqualTo("SUCCESS");
            });
    messages.assertAll();
  }

  // --- helpers ---

  private String url(String path) {
    return "http://localhost:" + port + path;
  }

  private JavascriptExecutor js() {
    return (JavascriptExecutor) driver;
  }

  @Test
  void anAdminChangesARoleSeesItAuditedAndTheChainIntact() throws IOException {
    signIn("analyst", "analyst-secret");
    driver.findElement(By.cssSelector("header.top-bar")).findElement(By.xpath(".//button[normalize-space()='Sign out']")).click();
    wait.until(ExpectedConditions.urlContains("/login"));
    driver.manage().deleteAllCookies();

    signIn("admin", "admin-secret");
    driver.findElement(By.cssSelector("nav.side-nav")).findElement(By.linkText("Users & roles")).click();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Users & roles"));
    WebElement row =
        driver.findElements(By.cssSelector("table.data tbody tr")).stream()
            .filter(r -> r.getText().contains("Ann Analyst"))
            .findFirst()
            .orElseThrow();
    new org.openqa.selenium.support.ui.Select(row.findElement(By.name("role"))).selectByVisibleText("Viewer");
    row.findElement(By.xpath(".//button[normalize-space()='Save']")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main .flash"), "Ann Analyst is now Viewer."));
    screenshot("users.png");

    openAuditLogFromNavigation();
    assertThat(auditRows()).anySatisfy(r -> assertThat(r.action()).isEqualTo("user.role-changed"));
    driver.findElement(By.linkText("Check the chain")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#check"), "Intact"));
    screenshot("chain.png");
  }

  @Test
  void anAdminConnectsARegistryAndBrowsesWhatDiscoveryFound() throws IOException {
    try (TestRegistry registry = TestRegistry.anonymous()) {
      TestImages images = new TestImages(registry);
      Digest web = images.push("shop/web", "1.0", TestImages.image("amd64"));
      TestImages.Index index = images.pushIndex("shop/api", "2.1", TestImages.image("amd64"), TestImages.image("arm64"));

      signIn("admin", "admin-secret");
      driver.findElement(By.cssSelector("nav.side-nav")).findElement(By.linkText("Registries")).click();
      wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Registries"));
      driver.findElement(By.linkText("Connect another OCI registry")).click();
      wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Connect an OCI registry"));
      driver.findElement(By.id("name")).sendKeys("Shop registry");
      driver.findElement(By.id("endpoint")).sendKeys(registry.url().toString());
      driver.findElement(By.id("exclude")).sendKeys("sandbox/**");
      driver.findElement(By.xpath("//button[normalize-space()='Connect']")).click();

      wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Shop registry"));
      assertThat(driver.findElement(By.cssSelector("code.secret-once")).getText()).hasSizeGreaterThan(30);
      driver.findElement(By.xpath("//button[normalize-space()='Test connection']")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("check"), "Reachable."));
      assertThat(driver.findElement(By.id("check")).getText()).contains("shop/api");

      driver.findElement(By.xpath("//button[normalize-space()='Discover now']")).click();
      new WebDriverWait(driver, Duration.ofSeconds(30))
          .ignoring(StaleElementReferenceException.class)
          .until(ExpectedConditions.presenceOfElementLocated(By.linkText("shop/api")));
      new WebDriverWait(driver, Duration.ofSeconds(30))
          .ignoring(StaleElementReferenceException.class)
          .until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "succeeded"));
      screenshot("registry.png");

      driver.findElement(By.linkText("shop/api")).click();
      wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "shop/api"));
      driver.findElement(By.linkText(index.digest().toString())).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main"), "Multi-platform index"));
      assertThat(driver.findElement(By.cssSelector("main")).getText()).contains("linux/amd64").contains("linux/arm64");
      screenshot("image.png");

      // the single image, once its inventory is stored and matched, lists its vulnerabilities
      UUID local = tenants.findByEntraTenantId("local").orElseThrow();
      UUID webImage = TenantScope.callAs(local, () -> new TransactionTemplate(transactionManager).execute(s ->
          jdbc.sql("select i.id from image i join container_repository r on r.id = i.repository_id"
              + " where i.digest = ? and r.name = 'shop/web'").param(web.toString()).query(UUID.class).single()));
      String suffix = UUID.randomUUID().toString().substring(0, 6);
      jdbc.sql("insert into advisory (id, modified, severity, summary) values (?, now(), ?::jsonb, ?)")
          .params("GHSA-br" + suffix, "[{\"type\": \"CVSS_V3\", \"score\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H\"}]",
              "Remote code injection in Log4j").update();
      jdbc.sql("insert into advisory_alias (advisory_id, relation, alias) values (?, 'ALIAS', 'CVE-2021-44228')")
          .param("GHSA-br" + suffix).update();
      jdbc.sql("""
          insert into affected (advisory_id, ordinal, ecosystem, release, package_name, withdrawn, ranges)
          values (?, 0, 'Maven', '', 'org.apache.logging.log4j:log4j-core', false,
                  '[{"type": "ECOSYSTEM", "events": [{"introduced": "2.13.0"}, {"fixed": "2.15.0"}]}]'::jsonb)
          """).param("GHSA-br" + suffix).update();
      jdbc.sql("insert into advisory (id, modified, summary) values (?, now(), 'openssl security update')")
          .param("DSA-br" + suffix).update();
      jdbc.sql("""
          insert into affected (advisory_id, ordinal, ecosystem, release, package_name, withdrawn, ranges)
          values (?, 0, 'Debian', '12', 'openssl', false,
                  '[{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.15-1~deb12u1"}]}]'::jsonb)
          """).param("DSA-br" + suffix).update();
      String layer = "sha256:" + "e".repeat(64);
      TenantScope.runAs(local, () -> {
        inventories.store(webImage, new Inventory("shop/web:1.0", null, null,
            new OsRelease("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)"), null, List.of(
                new InventoryPackage("deb", "libssl3", "3.0.11-1~deb12u2", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2",
                    "amd64", "openssl", null, null, "dpkg-status", "var/lib/dpkg/status", layer, null),
                new InventoryPackage("maven", "org.apache.logging.log4j:log4j-core", "2.14.1",
                    "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", null, null, null, null, "java-archive",
                    "opt/app/lib/log4j-core-2.14.1.jar", layer, null)), List.of()));
        rematching.matchImage(webImage);
      });
      driver.get(url("/images/" + webImage));
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main"), "Vulnerabilities"));
      String main = driver.findElement(By.cssSelector("main")).getText();
      assertThat(main).contains("CVE-2021-44228").contains("Critical").contains("2.15.0").contains("DSA-br" + suffix)
          .contains("3.0.15-1~deb12u1").contains("2 packages");
      screenshot("image-findings.png");

      // the explorer: search as you type narrows the list; triage one finding; its history and the overview follow
      TenantScope.runAs(local, riskOverview::snapshot);
      driver.get(url("/"));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("open-findings")));
      String before = driver.findElement(By.cssSelector("#open-findings .figure")).getText();
      assertThat(driver.findElement(By.id("riskiest-images")).getText()).contains("shop/web@");
      assertThat(driver.findElements(By.cssSelector("svg.trend-chart rect.opened"))).hasSize(30);
      screenshot("overview.png");
      driver.findElement(By.cssSelector("nav.side-nav")).findElement(By.linkText("Findings")).click();
      wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Findings"));
      assertThat(driver.findElement(By.id("results")).getText()).contains("CVE-2021-44228").contains("DSA-br" + suffix);
      driver.findElement(By.id("q")).sendKeys("log4j");
      new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
          .until(d -> !d.findElement(By.id("results")).getText().contains("DSA-br" + suffix));
      assertThat(driver.getCurrentUrl()).contains("q=log4j");
      assertThat(driver.findElement(By.id("results")).getText()).contains("CVE-2021-44228").contains("1 finding");
      screenshot("findings.png");
      driver.findElement(By.id("results")).findElement(By.linkText("CVE-2021-44228")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main"), "Why this score"));
      new Select(driver.findElement(By.id("state"))).selectByValue("ACCEPTED_RISK");
      driver.findElement(By.id("justification")).sendKeys("JNDI lookups disabled by log4j2.formatMsgNoLookups");
      ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1]",
          driver.findElement(By.id("expires")), java.time.LocalDate.now().plusDays(30).toString());
      driver.findElement(By.xpath("//button[normalize-space()='Record decision']")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main"), "Triage recorded."));
      assertThat(driver.findElement(By.id("history")).getText()).contains("open → accepted risk")
          .contains("JNDI lookups disabled").contains("ada@example.org");
      screenshot("finding.png");
      driver.get(url("/"));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("open-findings")));
      assertThat(Integer.parseInt(driver.findElement(By.cssSelector("#open-findings .figure")).getText()))
          .isEqualTo(Integer.parseInt(before) - 1);

      driver.findElement(By.cssSelector("nav.side-nav")).findElement(By.linkText("Registries")).click();
      wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Registries"));
      assertThat(driver.findElement(By.cssSelector("table.data tbody")).getText()).contains("Shop registry").contains("Healthy");
      screenshot("registries.png");
      // a registry and a repository show their risk, and open the explorer on themselves; a registry with many
      // repositories finds them by name
      TenantScope.runAs(local, () -> new TransactionTemplate(transactionManager).executeWithoutResult(s ->
          jdbc.sql("insert into container_repository (tenant_id, connection_id, name) select app_current_tenant(),"
              + " r.connection_id, 'archive/app-' || n from container_repository r, generate_series(1, 12) n"
              + " where r.name = 'shop/web'").update()));
      driver.findElement(By.cssSelector("table.data tbody")).findElement(By.linkText("Shop registry")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".scope-risk")));
      assertThat(driver.findElement(By.cssSelector(".scope-findings .figure")).getText()).isNotEqualTo("0");
      driver.findElement(By.id("repository-filter")).sendKeys("shop/");
      driver.findElement(By.cssSelector("form.repository-filter button")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main"), "2 repositories match."));
      assertThat(driver.findElement(By.cssSelector("main")).getText()).doesNotContain("archive/app-1");
      screenshot("registry-risk.png");
      driver.findElement(By.linkText("shop/web")).click();
      wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "shop/web"));
      assertThat(driver.findElement(By.cssSelector(".scope-risk .risk-score")).getText()).isNotEqualTo("0");
      screenshot("repository.png");
      driver.findElement(By.cssSelector(".scope-findings .figure a")).click();
      wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Findings"));
      assertThat(driver.findElement(By.cssSelector(".scope-note")).getText()).contains("shop/web");
      // log4shell was accepted above: what still counts in the repository is the openssl finding
      assertThat(driver.findElement(By.id("results")).getText()).contains("DSA-br" + suffix)
          .doesNotContain("CVE-2021-44228");
      screenshot("repository-findings.png");

      // an Admin scans one platform image now: the image page shows the scan, the Scans page its figures
      UUID amd64 = TenantScope.callAs(local, () -> new TransactionTemplate(transactionManager).execute(s ->
          jdbc.sql("select i.id from image i join container_repository r on r.id = i.repository_id"
              + " where i.digest = ? and r.name = 'shop/api'").param(index.images().get(0).digest().toString())
              .query(UUID.class).single()));
      driver.get(url("/images/" + amd64));
      wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Scan now']"))).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main"), "Scan queued."));
      new WebDriverWait(driver, Duration.ofSeconds(60))
          .ignoring(StaleElementReferenceException.class)
          .until(ExpectedConditions.textToBePresentInElementLocated(By.id("scan-status"), "Last scan: done"));
      assertThat(driver.findElement(By.id("scan-status")).getText()).contains("manual").contains("1 layer, 0 from the layer cache");
      driver.findElement(By.cssSelector("nav.side-nav")).findElement(By.linkText("Scans")).click();
      wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Scans"));
      String jobs = driver.findElement(By.id("jobs")).getText();
      assertThat(jobs).contains("shop/api@sha256:").contains("done").contains("Shop registry").contains("manual");
      screenshot("scans.png");
      driver.get(url("/"));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("freshness")));
      assertThat(driver.findElement(By.id("freshness")).getText()).contains("Freshness").contains("15 minutes");
      screenshot("home-freshness.png");
    }
  }

  private void signIn(String username, String password) {
    driver.get(url("/login"));
    submitSignIn(username, password);
    wait.until(ExpectedConditions.urlToBe(url("/")));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("header.top-bar .user")));
  }

  private void submitSignIn(String username, String password) {
    WebElement user = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    user.clear();
    user.sendKeys(username);
    WebElement pass = driver.findElement(By.id("password"));
    pass.clear();
    pass.sendKeys(password);
    driver.findElement(By.cssSelector("form.stack button[type=submit]")).click();
  }

  private void openAuditLogFromNavigation() {
    driver.findElement(By.cssSelector("nav.side-nav")).findElement(By.linkText("Audit log")).click();
    wait.until(ExpectedConditions.urlContains("/audit"));
    wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Audit log"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#results table tbody tr")));
  }

  private List<String> flashMessages() {
    return driver.findElements(By.cssSelector("main .flash")).stream()
        .filter(WebElement::isDisplayed)
        .map(WebElement::getText)
        .toList();
  }

  private record AuditRow(String actor, String action, String outcome) {}

  private List<AuditRow> auditRows() {
    return driver.findElements(By.cssSelector("#results table tbody tr")).stream()
        .map(row -> row.findElements(By.tagName("td")))
        .map(cells -> new AuditRow(cells.get(2).getText(), cells.get(3).getText(), cells.get(5).getText()))
        .toList();
  }

  private void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(png.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
