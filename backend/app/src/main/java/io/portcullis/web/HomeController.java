package io.portcullis.web;

import io.portcullis.audit.AuditLog;
import io.portcullis.identity.Role;
import io.portcullis.identity.SignedInUser;
import io.portcullis.identity.User;
import io.portcullis.findings.RiskOverview;
import io.portcullis.identity.Users;
import io.portcullis.scanning.Scans;
import io.portcullis.tenancy.Tenants;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The home page: the organisation at a glance, with figures read from the database and nothing made up. */
@Controller
public class HomeController {

  private final Tenants tenants;
  private final Users users;
  private final AuditLog audit;
  private final Scans scans;
  private final RiskOverview risk;

  HomeController(Tenants tenants, Users users, AuditLog audit, Scans scans, RiskOverview risk) {
    this.risk = risk;
    this.scans = scans;
    this.tenants = tenants;
    this.users = users;
    this.audit = audit;
  }

  @GetMapping("/")
  String home(@AuthenticationPrincipal SignedInUser me,
      @org.springframework.web.bind.annotation.RequestParam(defaultValue = "30") int days, Model model) {
    int span = days == 90 ? 90 : 30;
    model.addAttribute("days", span);
    model.addAttribute("totals", risk.totals());
    model.addAttribute("riskiest", risk.images(null, null, 10));
    model.addAttribute("trend", new TrendChart(risk.trend(span)));
    List<User> all = users.all();
    Map<Role, Long> byRole = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      byRole.put(role, all.stream().filter(u -> u.effectiveRole() == role).count());
    }
    Instant dayAgo = Instant.now().minus(Duration.ofDays(1));
    model.addAttribute("tenant", tenants.current());
    model.addAttribute("userCount", all.size());
    model.addAttribute("usersByRole", byRole);
    model.addAttribute("activeToday", all.stream().filter(u -> u.lastSignInAt() != null && u.lastSignInAt().isAfter(dayAgo)).count());
    model.addAttribute("freshness", scans.freshness(20));
    if (me.can(Role.ANALYST)) {
      model.addAttribute("eventsToday", audit.countSince(dayAgo));
      model.addAttribute("recent", audit.search(new AuditLog.Filter(null, null, null, null, null), 0, 5).events());
    }
    return "home";
  }

  /** A duration as people say it: 15 minutes, 24 hours, 2 days. */
  public static String human(Duration duration) {
    long minutes = duration.toMinutes();
    if (minutes % (24 * 60) == 0 && minutes >= 48 * 60) {
      return (minutes / (24 * 60)) + " days";
    }
    if (minutes % 60 == 0 && minutes >= 60) {
      return minutes == 60 ? "1 hour" : (minutes / 60) + " hours";
    }
    return minutes == 1 ? "1 minute" : minutes + " minutes";
  }
}
