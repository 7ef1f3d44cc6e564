/**
 * The analysis stage: what the processor's state says about a message (links, later campaigns and
 * spam scores), as the TextVerdict its fact row carries.
 */
import type { Config } from '../config/schema.js'
import type { DecodedEvent } from '../domain/events.js'
import { NO_TEXT_VERDICT, type TextVerdict } from '../facts/build.js'
import type { MessageAnalyzer } from './processor.js'

export interface AnalysisObserver {
  verdict(verdict: 'ham' | 'spam' | 'campaign'): void
}

export function createAnalyzer(_config: Config, observer: AnalysisObserver): MessageAnalyzer {
  return {
    analyze(_message: Extract<DecodedEvent, { kind: 'message' }>, _sender: string): TextVerdict {
      observer.verdict('ham')
      return NO_TEXT_VERDICT
    },
  }
}
