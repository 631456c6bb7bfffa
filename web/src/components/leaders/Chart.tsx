// One ECharts chart, built from only the parts the leaders' screens use (bars, lines, axes, tooltip,
// legend) and drawn as SVG: a smaller bundle than all of ECharts, and labels that are text in the page.
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import ReactEChartsCore from "echarts-for-react/esm/core";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** A chart under its label (for screen readers, the figure's name); `height` grows with its rows. Drawn
 * at once, without animation: figures for a meeting, not a show (and a screenshot shows them whole). */
export function Chart({ label, option, height = 260 }: { label: string; option: ChartOption; height?: number }) {
  return (
    <div role="figure" aria-label={label}>
      <ReactEChartsCore echarts={echarts} option={{ animation: false, ...option }} notMerge style={{ height }} opts={{ renderer: "svg" }} />
    </div>
  );
}

/** A horizontal bar chart: one bar per row, the first row on top. */
export function barsOption(rows: { label: string; value: number }[], series: string, percent = false): ChartOption {
  const shown = [...rows].reverse(); // ECharts draws the category axis bottom-up
  return {
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: { type: "value", max: percent ? 1 : undefined, show: false },
    yAxis: { type: "category", data: shown.map((row) => row.label) },
    series: [
      {
        name: series,
        type: "bar",
        data: shown.map((row) => row.value),
        label: {
          show: true,
          position: "right",
          formatter: ({ value }: { value: number }) => (percent ? formatRate(value) : String(value)),
        },
      },
    ],
  };
}

/** A rate as people read it: 0.9913 → "99.13%"; nothing to rate → "—". */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(2)}%`;
}
