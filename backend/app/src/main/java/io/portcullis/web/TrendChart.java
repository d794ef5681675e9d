package io.portcullis.web;

import io.portcullis.findings.RiskOverview.Day;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * New and fixed findings per day as an SVG bar chart drawn on the server: new ones rise above the axis, fixed ones hang
 * below it, each bar with its date and count as a tooltip. No script draws it, so it prints and needs no JavaScript.
 */
public final class TrendChart {

  public static final int WIDTH = 720;
  public static final int HEIGHT = 180;
  static final int AXIS = HEIGHT / 2;
  static final int ROOM = AXIS - 14;
  private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("d MMM");

  /** One day's bars, in SVG units. */
  public record Bar(double x, double width, double openedY, double openedHeight, double fixedHeight, String title) {}

  private final List<Bar> bars;
  private final int peak;
  private final String firstLabel;
  private final String lastLabel;
  private final long opened;
  private final long fixed;

  public TrendChart(List<Day> days) {
    int highest = 1;
    long openedSum = 0;
    long fixedSum = 0;
    for (Day d : days) {
      highest = Math.max(highest, Math.max(d.opened(), d.fixed()));
      openedSum += d.opened();
      fixedSum += d.fixed();
    }
    this.peak = highest;
    this.opened = openedSum;
    this.fixed = fixedSum;
    double slot = (double) WIDTH / Math.max(1, days.size());
    double width = Math.max(1, slot * 0.7);
    List<Bar> drawn = new ArrayList<>(days.size());
    for (int i = 0; i < days.size(); i++) {
      Day d = days.get(i);
      double up = (double) d.opened() / highest * ROOM;
      double down = (double) d.fixed() / highest * ROOM;
      drawn.add(new Bar(round(i * slot + (slot - width) / 2), round(width), round(AXIS - up), round(up), round(down),
          d.day().format(LABEL) + ": " + d.opened() + " new, " + d.fixed() + " fixed, " + d.open() + " open"));
    }
    this.bars = drawn;
    this.firstLabel = days.isEmpty() ? "" : days.get(0).day().format(LABEL);
    this.lastLabel = days.isEmpty() ? "" : days.get(days.size() - 1).day().format(LABEL);
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  public List<Bar> bars() {
    return bars;
  }

  public int peak() {
    return peak;
  }

  public int width() {
    return WIDTH;
  }

  public int height() {
    return HEIGHT;
  }

  public int axis() {
    return AXIS;
  }

  public String firstLabel() {
    return firstLabel;
  }

  public String lastLabel() {
    return lastLabel;
  }

  public long opened() {
    return opened;
  }

  public long fixed() {
    return fixed;
  }
}
