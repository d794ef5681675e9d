package io.portcullis.scanner.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkHeaderTests {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      value = {
        "</v2/_catalog?last=b&n=2>; rel=\"next\"                                           | /v2/_catalog?last=b&n=2",
        "</v2/_catalog?last=b&n=2>; rel=next                                               | /v2/_catalog?last=b&n=2",
        "<https://r.example/v2/a/tags/list?last=x,y>; rel=\"next\"                         | https://r.example/v2/a/tags/list?last=x,y",
        "</first>; rel=\"prev\", </second>; rel=\"next\"                                   | /second",
        "</a;b>; title=\"x, <y>\"; rel=\"prev next\"                                       | /a;b",
        "</a>; rel=\"prev\"                                                                | none",
        "no link at all                                                                    | none",
        "</unterminated; rel=next                                                          | none",
      })
  void findsTheNextLink(String header, String next) {
    assertThat(LinkHeader.next(header)).isEqualTo(Optional.ofNullable(next));
  }
}
