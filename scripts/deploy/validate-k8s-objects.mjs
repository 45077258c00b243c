// Validates Kubernetes objects against the API's JSON schemas shipped in `kubernetes-models`.
// An ES module of its own because that package is ESM-only, which jest's CommonJS runtime cannot load.
// Input on stdin: a JSON array of objects. Output on stdout: a JSON array of problems, one line each.
import { readFileSync } from 'node:fs';

const objects = JSON.parse(readFileSync(0, 'utf8'));
const problems = [];
for (const object of objects) {
  const label = `${object.kind}/${object.metadata?.name}`;
  // "apps/v1" lives in kubernetes-models/apps/v1, the core "v1" in kubernetes-models/v1.
  let models;
  try {
    models = await import(`kubernetes-models/${object.apiVersion}`);
  } catch {
    problems.push(`${label}: unknown apiVersion ${object.apiVersion}`);
    continue;
  }
  const Model = models[object.kind];
  if (typeof Model !== 'function') {
    problems.push(`${label}: unknown kind ${object.kind} in ${object.apiVersion}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`${label}: ${error.message}`);
  }
}
process.stdout.write(JSON.stringify(problems));
