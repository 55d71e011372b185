'use client'
import Link from 'next/link'
import { usePathname } from 'next/navigation'

export interface NavSection {
  title: string
  links: { href: string; label: string }[]
}

export function NavLinks({ sections }: { sections: NavSection[] }) {
  const pathname = usePathname()
  return (
    <>
      {sections.map((section) => (
        <div key={section.title}>
          <div className="nav-section">{section.title}</div>
          <ul>
            {section.links.map((link) => (
              <li key={link.href}>
                <Link href={link.href} aria-current={pathname === link.href || (link.href !== '/' && pathname.startsWith(`${link.href}/`)) ? 'page' : undefined}>
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  )
}
