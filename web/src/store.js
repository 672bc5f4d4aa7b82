// The one owner of the page's settings. Controls write to it (set); the URL hash, the bridge
// and the views follow it (subscribe). Each setting's URL key, default and validation come
// from the table in settings.js; the drawing itself is the grid's (with its undo history).

import { isValid, SETTINGS, textOf } from "./settings.js";

export class Store {
  /**
   * @param {Record<string, string>} [hash] the URL hash's fields (`readHash()`): valid ones
   *   become explicit settings, invalid ones are ignored (listed in `this.ignored`)
   * @param {object} [table] the settings table (SETTINGS)
   * @param {Record<string, string>} [query] the URL query's parameters: a setting with a
   *   `query` name takes it when the hash has no value for it (read like the hash's)
   */
  constructor(hash = {}, table = SETTINGS, query = {}) {
    this.table = table;
    this.explicit = {}; // set by a link or by the person
    this.defaults = {}; // decided at run time (the model's preprocessing, reduced motion)
    this.listeners = [];
    this.ignored = [];
    for (const [name, definition] of Object.entries(table)) {
      const fromHash = hash[definition.key] !== undefined && hash[definition.key] !== "";
      const key = fromHash ? definition.key : definition.query;
      const text = fromHash ? hash[key] : key && query[key];
      if (text === undefined || text === "") continue;
      const value = definition.parse(text);
      if (value === undefined) this.ignored.push(key);
      else this.explicit[name] = value;
    }
  }

  /** The value of setting `name`: explicit, else the run-time default, else the table's. */
  get(name) {
    if (!(name in this.table)) throw new Error(`unknown setting ${name}`);
    if (name in this.explicit) return this.explicit[name];
    return this.defaultOf(name);
  }

  /** The default of setting `name` now: the run-time default, else the table's. */
  defaultOf(name) {
    return name in this.defaults ? this.defaults[name] : this.table[name].fallback;
  }

  /** Every setting's value. */
  values() {
    return Object.fromEntries(Object.keys(this.table).map((name) => [name, this.get(name)]));
  }

  /**
   * Change settings: `patch` maps names to values (null or undefined: back to the default).
   * A value equal to the current default also goes back to it, so it follows later run-time
   * defaults (the person who turns a setting off and on again has not pinned it; a link's
   * values, read in the constructor, stay explicit). An unknown name or invalid value throws
   * and changes nothing. Returns the changed names.
   */
  set(patch) {
    for (const [name, value] of Object.entries(patch)) {
      if (!(name in this.table)) throw new Error(`unknown setting ${name}`);
      if (value !== undefined && value !== null && !isValid(name, value, this.table)) {
        throw new Error(`invalid value for setting ${name}: ${JSON.stringify(value)}`);
      }
    }
    return this.update(() => {
      for (const [name, value] of Object.entries(patch)) {
        const isDefault = value === undefined || value === null || value === this.defaultOf(name);
        if (isDefault) delete this.explicit[name];
        else this.explicit[name] = value;
      }
    });
  }

  /** Run-time defaults (e.g. the loaded model's preprocessing); explicit values still win. */
  setDefaults(patch) {
    for (const [name, value] of Object.entries(patch)) {
      if (!isValid(name, value, this.table)) {
        throw new Error(`invalid default for setting ${name}: ${JSON.stringify(value)}`);
      }
    }
    return this.update(() => Object.assign(this.defaults, patch));
  }

  /** Whether setting `name` was set by a link or by the person (not a default). */
  isExplicit(name) {
    return name in this.explicit;
  }

  /** Call `listener(values, changedNames)` after every change; returns an unsubscribe. */
  subscribe(listener) {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((item) => item !== listener);
    };
  }

  /** The URL-hash fields of the settings that differ from their defaults. */
  hashFields() {
    const fields = {};
    for (const [name, definition] of Object.entries(this.table)) {
      const value = this.get(name);
      if (value !== this.defaultOf(name) && value !== null)
        fields[definition.key] = textOf(definition, value);
    }
    return fields;
  }

  update(change) {
    const before = this.values();
    change();
    const after = this.values();
    const changed = Object.keys(after).filter((name) => after[name] !== before[name]);
    if (changed.length) for (const listener of this.listeners) listener(after, changed);
    return changed;
  }
}
