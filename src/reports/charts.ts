/**
 * Charts for the transparency report, rendered at report time to static SVG by Apache ECharts'
 * server-side renderer (no DOM, no script in the page). ECharts escapes the text it writes into the
 * SVG; labels are also stripped of control characters here, since they come from the data.
 */
import * as echarts from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent } from 'echarts/components'
import { SVGRenderer } from 'echarts/renderers'

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, SVGRenderer])

export const PALETTE = ['#2f5597', '#c0504d', '#9bbb59', '#8064a2', '#4bacc6', '#f79646', '#7f7f7f', '#1f7a5c', '#b8860b', '#5a5a9e']

const label = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD')

function render(option: Record<string, unknown>, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption({ animation: false, color: PALETTE, textStyle: { fontFamily: 'Helvetica, Arial, sans-serif' }, ...option })
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

export interface Series {
  name: string
  values: number[]
}

export interface BarOptions {
  categories: string[]
  series: Series[]
  stack?: boolean
  horizontal?: boolean
  /** Show each bar's value as a label (not for stacks). */
  values?: boolean
  axisName?: string
  width?: number
  height?: number
}

/** Grouped or stacked bars, one group per category. */
export function barChart(o: BarOptions): string {
  const horizontal = o.horizontal ?? false
  const categories = o.categories.map(label)
  const categoryAxis = {
    type: 'category',
    data: horizontal ? [...categories].reverse() : categories,
    axisLabel: { interval: 0, width: horizontal ? 150 : 90, overflow: 'truncate' },
  }
  const valueAxis = { type: 'value', name: o.axisName ?? '', minInterval: 1 }
  const height =
    o.height ?? (horizontal ? Math.max(180, 60 + categories.length * (o.stack ? 26 : 18 * Math.max(1, o.series.length) + 8)) : 320)
  return render(
    {
      legend: o.series.length > 1 ? { top: 0, itemGap: 28, data: o.series.map((s) => label(s.name)) } : undefined,
      grid: {
        left: horizontal ? 160 : 50,
        right: 40,
        top: o.series.length > 1 ? 40 : 20,
        bottom: horizontal ? 30 : 60,
        containLabel: false,
      },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: o.series.map((s) => ({
        type: 'bar',
        name: label(s.name),
        stack: o.stack ? 'total' : undefined,
        data: horizontal ? [...s.values].reverse() : s.values,
        label: { show: o.values === true && !o.stack, position: horizontal ? 'right' : 'top', color: '#222' },
        barMaxWidth: 40,
      })),
    },
    o.width ?? 760,
    height,
  )
}

export interface HistoryOptions {
  dates: string[]
  values: number[]
  /** Index of the highlighted day (the report's day). */
  highlight: number
  average: number
  width?: number
  height?: number
}

/** Daily totals over 31 days, the report's day highlighted, the previous 30 days' average as a line. */
export function historyChart(o: HistoryOptions): string {
  return render(
    {
      grid: { left: 50, right: 30, top: 30, bottom: 60 },
      xAxis: { type: 'category', data: o.dates.map((d) => d.slice(5)), axisLabel: { rotate: 60, interval: 0, fontSize: 10 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          name: 'enforcement actions',
          data: o.values.map((v, i) =>
            i === o.highlight
              ? { value: v, itemStyle: { color: '#c0504d' }, label: { show: true, position: 'top', color: '#222' } }
              : { value: v, itemStyle: { color: '#9fb4d8' } },
          ),
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { color: '#333', type: 'dashed' },
            label: {
              formatter: `previous 30 days: ${formatAverage(o.average)}/day`,
              position: 'insideStartTop',
              color: '#333',
              backgroundColor: 'rgba(255,255,255,0.85)',
              padding: [1, 3],
            },
            data: [{ yAxis: o.average }],
          },
        },
      ],
    },
    o.width ?? 760,
    o.height ?? 300,
  )
}

const formatAverage = (n: number) => (n === 0 ? '0' : n < 1 ? n.toFixed(2) : n.toFixed(1))
