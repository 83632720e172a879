/**
 * Just enough of Azure Resource Manager's template language to check infra/azuredeploy.json here,
 * without Azure: a parser for template expressions ("[format('{0}-id', parameters('appName'))]")
 * and an evaluator for the functions the template uses. reference() and the deployment scope come
 * from the caller (placeholders), so the app settings, the bot's properties and the outputs can be
 * computed the way Azure would compute them. An unknown function is an error: extend the evaluator
 * when the template starts using one.
 */
import crypto from 'node:crypto';

export type Expr =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'property'; target: Expr; name: string }
  | { kind: 'index'; target: Expr; index: Expr };

export interface ArmParameter {
  type: string;
  defaultValue?: unknown;
  allowedValues?: unknown[];
  minLength?: number;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
  metadata?: { description?: string };
}

export interface ArmResource {
  type: string;
  apiVersion: string;
  name: string;
  scope?: string;
  location?: string;
  kind?: string;
  sku?: Record<string, unknown>;
  identity?: Record<string, unknown>;
  properties?: unknown;
  dependsOn?: string[];
  comments?: string;
}

export interface ArmTemplate {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, ArmParameter>;
  variables: Record<string, unknown>;
  resources: ArmResource[];
  outputs: Record<string, { type: string; value: unknown }>;
}

/** A string is an expression when it is wrapped in [ ] (and does not start with the "[[" escape). */
export function isExpression(s: string): boolean {
  return s.length >= 2 && s.startsWith('[') && s.endsWith(']') && !s.startsWith('[[');
}

export function parseExpression(source: string): Expr {
  if (!isExpression(source)) throw new Error(`not an expression: ${source}`);
  const text = source.slice(1, -1);
  let i = 0;
  const fail = (why: string): never => { throw new Error(`${why} at ${i} in ${source}`); };
  const skip = () => { while (i < text.length && /\s/.test(text[i]!)) i++; };
  const expect = (c: string) => { skip(); if (text[i] !== c) fail(`expected '${c}'`); i++; };

  const primary = (): Expr => {
    skip();
    const c = text[i];
    if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated string');
        if (text[i] === "'") {
          if (text[i + 1] === "'") { value += "'"; i += 2; continue; }
          i++;
          break;
        }
        value += text[i++];
      }
      return { kind: 'string', value };
    }
    const num = /^-?\d+/.exec(text.slice(i));
    if (num) { i += num[0].length; return { kind: 'number', value: Number(num[0]) }; }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (!id) return fail('expected a function, a string or a number');
    i += id[0].length;
    expect('(');
    const args: Expr[] = [];
    skip();
    if (text[i] === ')') i++;
    else {
      for (;;) {
        args.push(expression());
        skip();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ')') { i++; break; }
        fail("expected ',' or ')'");
      }
    }
    return { kind: 'call', name: id[0], args };
  };

  const expression = (): Expr => {
    let e = primary();
    for (;;) {
      skip();
      if (text[i] === '.') {
        i++;
        const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
        if (!name) fail('expected a property name');
        i += name![0].length;
        e = { kind: 'property', target: e, name: name![0] };
      } else if (text[i] === '[') {
        i++;
        const index = expression();
        expect(']');
        e = { kind: 'index', target: e, index };
      } else return e;
    }
  };

  const result = expression();
  skip();
  if (i !== text.length) fail('unexpected text');
  return result;
}

/** Every function call in an expression, nested ones included. */
export function calls(e: Expr): Array<Extract<Expr, { kind: 'call' }>> {
  switch (e.kind) {
    case 'call': return [e, ...e.args.flatMap(calls)];
    case 'property': return calls(e.target);
    case 'index': return [...calls(e.target), ...calls(e.index)];
    default: return [];
  }
}

/**
 * A nested deployment (Microsoft.Resources/deployments) with its own template. Only the "inner"
 * scope is accepted: its expressions see the template's own parameters, which the outer template
 * passes in, so each side can be checked against its own declarations.
 */
export interface NestedDeployment {
  deployment: ArmResource;
  template: ArmTemplate;
  /** The outer template's expressions for the inner template's parameter values. */
  parameters: Record<string, { value: unknown }>;
}

const isDeployment = (r: ArmResource) => r.type.toLowerCase() === 'microsoft.resources/deployments';

export function nestedDeployments(template: ArmTemplate): NestedDeployment[] {
  return template.resources.filter(isDeployment).map((deployment) => {
    const p = deployment.properties as { template?: ArmTemplate; expressionEvaluationOptions?: { scope?: string }; parameters?: Record<string, { value: unknown }> };
    if (!p.template) throw new Error(`${deployment.name}: a nested deployment needs an inline template (templateLink cannot be checked here)`);
    if (p.expressionEvaluationOptions?.scope?.toLowerCase() !== 'inner') throw new Error(`${deployment.name}: use expressionEvaluationOptions.scope "inner" (outer-scope nested templates are not checked)`);
    return { deployment, template: p.template, parameters: p.parameters ?? {} };
  });
}

/** The template with each nested deployment's inline template left out: the part the outer scope evaluates. */
export function outerPart(template: ArmTemplate): ArmTemplate {
  return {
    ...template,
    resources: template.resources.map((r) => {
      if (!isDeployment(r)) return r;
      const { template: _inner, ...properties } = r.properties as Record<string, unknown>;
      void _inner;
      return { ...r, properties };
    }),
  };
}

/** Every expression string in a JSON value: values and object keys, at any depth. */
export function expressionsIn(value: unknown, where = '$'): Array<{ where: string; source: string }> {
  if (typeof value === 'string') return isExpression(value) ? [{ where, source: value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, n) => expressionsIn(v, `${where}[${n}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(isExpression(k) ? [{ where: `${where} (key)`, source: k }] : []),
      ...expressionsIn(v, `${where}.${k}`),
    ]);
  }
  return [];
}

export interface Scope {
  subscriptionId: string;
  tenantId: string;
  resourceGroup: string;
  location: string;
  /** What reference(id, apiVersion) returns for a resource of the template (its runtime properties). */
  reference(resourceId: string, apiVersion: string | undefined): Record<string, unknown>;
}

/** The resource id ARM gives a resource of this type and these name segments in the scope's resource group. */
export function resourceIdOf(scope: Scope, type: string, names: string[]): string {
  const [namespace, ...types] = type.split('/');
  if (!namespace || types.length !== names.length) throw new Error(`resourceId('${type}', ${names.join(', ')}): ${types.length} name(s) expected`);
  const path = types.map((t, n) => `${t}/${names[n]}`).join('/');
  return `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}/providers/${namespace}/${path}`;
}

/** Evaluates a template's expressions for given parameter values, the way a deployment would. */
export class ArmEvaluator {
  private readonly variableCache = new Map<string, unknown>();
  private readonly parameterCache = new Map<string, unknown>();

  constructor(readonly template: ArmTemplate, private readonly values: Record<string, unknown>, readonly scope: Scope) {}

  parameter(name: string): unknown {
    if (this.parameterCache.has(name)) return this.parameterCache.get(name);
    const def = this.template.parameters[name];
    if (!def) throw new Error(`parameters('${name}') is not declared`);
    let value: unknown;
    if (name in this.values) value = this.values[name];
    else if ('defaultValue' in def) value = this.evaluate(def.defaultValue);
    else throw new Error(`parameter ${name} has no value and no default`);
    this.parameterCache.set(name, value);
    return value;
  }

  variable(name: string): unknown {
    if (this.variableCache.has(name)) return this.variableCache.get(name);
    if (!(name in this.template.variables)) throw new Error(`variables('${name}') is not declared`);
    const value = this.evaluate(this.template.variables[name]);
    this.variableCache.set(name, value);
    return value;
  }

  /** A JSON value with every expression in it (keys too) replaced by its value. */
  evaluate(value: unknown): unknown {
    if (typeof value === 'string') {
      if (isExpression(value)) return this.run(parseExpression(value));
      return value.startsWith('[[') ? value.slice(1) : value;
    }
    if (Array.isArray(value)) return value.map((v) => this.evaluate(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [String(this.evaluate(k)), this.evaluate(v)]));
    }
    return value;
  }

  run(e: Expr): unknown {
    switch (e.kind) {
      case 'string': return e.value;
      case 'number': return e.value;
      case 'property': {
        const target = this.run(e.target);
        if (!target || typeof target !== 'object') throw new Error(`.${e.name} on ${JSON.stringify(target)}`);
        const key = Object.keys(target).find((k) => k.toLowerCase() === e.name.toLowerCase());
        if (key === undefined) throw new Error(`property ${e.name} not found in ${JSON.stringify(target)}`);
        return (target as Record<string, unknown>)[key];
      }
      case 'index': {
        const target = this.run(e.target) as Record<string | number, unknown>;
        return target[this.run(e.index) as string | number];
      }
      case 'call': return this.call(e.name.toLowerCase(), e.args);
    }
  }

  private call(name: string, args: Expr[]): unknown {
    const v = () => args.map((a) => this.run(a));
    switch (name) {
      case 'parameters': return this.parameter(String(this.run(args[0]!)));
      case 'variables': return this.variable(String(this.run(args[0]!)));
      case 'if': return this.run(args[0]!) === true ? this.run(args[1]!) : this.run(args[2]!);
      case 'equals': { const [a, b] = v(); return JSON.stringify(a) === JSON.stringify(b); }
      case 'and': return v().every((x) => x === true);
      case 'or': return v().some((x) => x === true);
      case 'not': return this.run(args[0]!) !== true;
      case 'true': return true;
      case 'false': return false;
      case 'null': return null;
      case 'empty': { const [x] = v(); return x === null || x === '' || (Array.isArray(x) && x.length === 0) || (typeof x === 'object' && x !== null && Object.keys(x).length === 0); }
      case 'tolower': return String(this.run(args[0]!)).toLowerCase();
      case 'uricomponent': return encodeURIComponent(String(this.run(args[0]!)));
      case 'string': return String(this.run(args[0]!));
      case 'concat': { const xs = v(); return xs.every(Array.isArray) ? (xs as unknown[][]).flat() : xs.map(String).join(''); }
      case 'format': {
        const [fmt, ...rest] = v();
        return String(fmt).replace(/\{(\d+)\}/g, (_m, n: string) => String(rest[Number(n)]));
      }
      case 'uniquestring': return uniqueString(v().map(String));
      case 'createobject': {
        const xs = v();
        const out: Record<string, unknown> = {};
        for (let n = 0; n < xs.length; n += 2) out[String(xs[n])] = xs[n + 1];
        return out;
      }
      case 'createarray': return v();
      case 'union': {
        const xs = v();
        if (xs.every(Array.isArray)) return [...new Set((xs as unknown[][]).flat())];
        return Object.assign({}, ...(xs as object[]));
      }
      case 'subscription': return { id: `/subscriptions/${this.scope.subscriptionId}`, subscriptionId: this.scope.subscriptionId, tenantId: this.scope.tenantId };
      case 'resourcegroup': return {
        id: `/subscriptions/${this.scope.subscriptionId}/resourceGroups/${this.scope.resourceGroup}`,
        name: this.scope.resourceGroup, location: this.scope.location,
      };
      case 'resourceid': { const [type, ...names] = v().map(String); return resourceIdOf(this.scope, type!, names); }
      case 'reference': {
        const [id, apiVersion] = v();
        return this.scope.reference(String(id), apiVersion === undefined ? undefined : String(apiVersion));
      }
      default: throw new Error(`the test's ARM evaluator does not know ${name}(): add it to test/infra/arm.ts`);
    }
  }

  /** The id of a resource the template declares (child names split on '/'; extension resources are not addressed here). */
  idOf(resource: ArmResource): string {
    return resourceIdOf(this.scope, resource.type, String(this.evaluate(resource.name)).split('/'));
  }
}

/** A stand-in for ARM's uniqueString(): 13 lowercase characters, deterministic, from the arguments. */
function uniqueString(parts: string[]): string {
  const hash = crypto.createHash('sha256').update(parts.join('|')).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return Array.from(hash.subarray(0, 13), (b) => alphabet[b % 32]).join('');
}
