// ES module entry of payplan: the same objects as the CommonJS entry (index.js), so
// `instanceof PayplanError` holds whichever way a module loaded the package.
import payplan from './index.js'

export const {
  ENGINE_VERSION,
  PayplanError,
  PlanError,
  InputError,
  CalculationError,
  Plan,
  planFromObject,
  planFromJson,
  planFromYaml,
  planFromFile,
  yamlToJson,
  toJsonText,
  calculate,
  calculateSync,
  calculateJson,
  calculateJsonSync,
  estimate,
  estimateSync,
  estimateJson,
  estimateJsonSync,
  Estimator,
} = payplan

export default payplan
