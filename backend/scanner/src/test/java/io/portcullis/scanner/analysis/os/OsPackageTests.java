package io.portcullis.scanner.analysis.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.packageurl.PackageURL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OsPackageTests {

  @ParameterizedTest(name = "{9}")
  @CsvSource(
      nullValues = "null",
      value = {
        // name, version, arch, source, source version, found by, namespace, distro, license, purl
        "curl, 7.88.1-10+deb12u5, amd64, curl, null, dpkg-status, debian, debian-12, null,"
            + " pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12",
        "libc6, 2.36-9+deb12u4, arm64, glibc, null, dpkg-status.d, debian, null, null,"
            + " pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=arm64&upstream=glibc",
        // packageurl-java percent-encodes the epoch colon; readers decode it back to the same version
        "libgcc1, 1:5.1.1-12ubuntu1, amd64, gcc-5, 5.1.1-12ubuntu1, dpkg-status, ubuntu, ubuntu-16.04, null,"
            + " pkg:deb/ubuntu/libgcc1@1%3A5.1.1-12ubuntu1?arch=amd64&distro=ubuntu-16.04&upstream=gcc-5%405.1.1-12ubuntu1",
        "adduser, 3.134, all, adduser, null, dpkg-status, debian, bookworm, null,"
            + " pkg:deb/debian/adduser@3.134?arch=all&distro=bookworm",
        "busybox, 1.36.1-r5, x86_64, busybox, null, apk-installed, alpine, 3.19.1, GPL-2.0-only,"
            + " pkg:apk/alpine/busybox@1.36.1-r5?arch=x86_64&distro=3.19.1",
        "libcrypto3, 3.3.2-r1, aarch64, openssl, null, apk-installed, alpine, null, 'Apache-2.0',"
            + " pkg:apk/alpine/libcrypto3@3.3.2-r1?arch=aarch64&upstream=openssl",
        "ca-certificates-base, 1:2.0.0-1.cm2, noarch, ca-certificates, null, rpm-sqlite, mariner, 2.0, null,"
            + " pkg:rpm/mariner/ca-certificates-base@2.0.0-1.cm2?arch=noarch&distro=2.0&epoch=1&upstream=ca-certificates",
        "libuuid, 2.32.1-42.el8_8, x86_64, util-linux, null, rpm-bdb, redhat, null, BSD,"
            + " pkg:rpm/redhat/libuuid@2.32.1-42.el8_8?arch=x86_64&upstream=util-linux",
      })
  void buildsPackageUrls(String name, String version, String arch, String source, String sourceVersion,
      String foundBy, String namespace, String distro, String license, String purl) throws Exception {
    OsPackage pkg = new OsPackage(name, version, arch, source, sourceVersion, license, foundBy, "/some/file");

    PackageURL built = pkg.purl(namespace, distro);

    assertThat(built.canonicalize()).isEqualTo(purl);
    // and it reads back as the same package
    PackageURL parsed = new PackageURL(purl);
    assertThat(parsed.getName()).isEqualTo(name);
    String epoch = parsed.getQualifiers() == null ? null : parsed.getQualifiers().get("epoch");
    assertThat(epoch == null ? parsed.getVersion() : epoch + ":" + parsed.getVersion()).isEqualTo(version);
  }

  @ParameterizedTest
  @CsvSource({"2.36-9, 2.36-9", "2.36-9, null"})
  void dropsASourceVersionEqualToTheVersion(String version, String sourceVersion) {
    OsPackage pkg = new OsPackage("libc6", version, "amd64", "glibc",
        "null".equals(sourceVersion) ? null : sourceVersion, null, "dpkg-status", "/var/lib/dpkg/status");

    assertThat(pkg.sourceVersion()).isNull();
  }

  @ParameterizedTest
  @CsvSource({"pacman-local"})
  void refusesAPurlForAnUnknownFinder(String foundBy) {
    OsPackage pkg = new OsPackage("bash", "5.1", "x86_64", "bash", null, null, foundBy, "/var/lib/pacman/local");

    assertThatThrownBy(() -> pkg.purl("arch", null)).isInstanceOf(IllegalStateException.class);
  }
}
